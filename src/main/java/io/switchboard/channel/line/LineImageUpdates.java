package io.switchboard.channel.line;

import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.channel.ChannelInbox;
import io.switchboard.comic.ComicFailed;
import io.switchboard.comic.ComicFinished;
import io.switchboard.image.ImageJob;
import io.switchboard.image.ImageJobUpdated;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Hears the image engine's updates and takes the final one of each job asked for on LINE
 * into the {@link ChannelInbox}, under an id made of the job and its final state: it is
 * then delivered durably and once ({@link LineImages} renders it), even when the engine
 * says it twice or the process stops in between. Comics made by {@code /comic} on LINE
 * are taken in the same way when they are finished or have failed ({@link LineComics}
 * renders them).
 */
@Component
@ConditionalOnLineChannel
class LineImageUpdates {

	private final ChannelInbox inbox;

	LineImageUpdates(ChannelInbox inbox) {
		this.inbox = inbox;
	}

	/** Takes the final update of a job asked for on LINE into the inbox. */
	@EventListener
	void on(ImageJobUpdated update) {
		ImageJob job = update.job();
		if (job.origin() == null || !LineChat.PLATFORM.equals(job.origin().place().platform())
				|| !job.state().finished()) {
			// started notices go with the answer to the prompt or button; progress is not
			// pushed, as LINE cannot edit a message and every push counts against the
			// quota
			return;
		}
		ObjectNode payload = LineConfiguration.LINE_JSON.createObjectNode()
			.put("job", job.id().value())
			.put("owner", job.owner().value());
		inbox.accept(LineChat.PLATFORM,
				LineImages.EVENT_PREFIX + job.id().value() + ":" + job.state().name().toLowerCase(Locale.ROOT),
				payload.toString());
	}

	/**
	 * Takes a comic made by {@code /comic} on LINE into the inbox: its strip is pushed.
	 */
	@EventListener
	void on(ComicFinished finished) {
		if (LineComics.isLine(finished.origin())) {
			inbox.accept(LineChat.PLATFORM, LineComics.eventId(finished.comic(), "finished"),
					LineComics.payload(finished));
		}
	}

	/** Takes a comic that could not be made into the inbox: its reason is pushed. */
	@EventListener
	void on(ComicFailed failed) {
		if (LineComics.isLine(failed.origin())) {
			inbox.accept(LineChat.PLATFORM, LineComics.eventId(failed.comic(), "failed"), LineComics.payload(failed));
		}
	}

}
