package io.switchboard.channel.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.comic.ComicFailed;
import io.switchboard.comic.ComicFinished;
import io.switchboard.comic.ComicId;
import io.switchboard.conversation.Place;
import io.switchboard.image.ImageOrigin;
import io.switchboard.media.Media;
import io.switchboard.media.MediaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Comics made by {@code /comic} in Slack: a finished strip is uploaded into the thread
 * {@code /comic} was sent in (into the channel for the slash command) with its title, a
 * comic that could not be made is told there with its reason. Uploading the strip itself
 * works in Socket Mode too, where this server may have no public URL, as for images.
 *
 * <p>
 * The comic module's events are taken into the inbox by {@link SlackComicUpdates} under
 * {@code comic:<id>:finished} or {@code comic:<id>:failed}, so each is delivered once,
 * durably, on the inbox's worker; the delivery is one Slack call, which the inbox tries
 * again only when it failed.
 */
final class SlackComics {

	static final String EVENT_PREFIX = "comic:";

	private static final Logger log = LoggerFactory.getLogger(SlackComics.class);

	private static final ObjectMapper JSON = new ObjectMapper();

	private final SlackApi api;

	private final MediaStore media;

	SlackComics(SlackApi api, MediaStore media) {
		this.api = api;
		this.media = media;
	}

	static boolean isSlack(ImageOrigin origin) {
		return origin != null && SlackMessages.PLATFORM.equals(origin.place().platform())
				&& origin.place().space() != null;
	}

	static String eventId(ComicId comic, String outcome) {
		return EVENT_PREFIX + comic.value() + ":" + outcome;
	}

	/** What the inbox keeps of a finished comic: where it goes and what it shows. */
	static String payload(ComicFinished finished) {
		return base(finished.comic(), finished.origin().place()).put("title", finished.title())
			.put("strip", finished.strip().sha256())
			.toString();
	}

	static String payload(ComicFailed failed) {
		return base(failed.comic(), failed.origin().place()).put("reason", failed.reason()).toString();
	}

	private static ObjectNode base(ComicId comic, Place place) {
		return JSON.createObjectNode()
			.put("comic", comic.value())
			.put("channel", place.space())
			.put("thread", place.thread());
	}

	/** Delivers a comic the inbox took in. */
	void deliver(String payload) throws Exception {
		JsonNode data = JSON.readTree(payload);
		String channel = data.path("channel").asText();
		String thread = data.hasNonNull("thread") ? data.path("thread").asText() : null;
		long id = data.path("comic").asLong();
		String comic = new ComicId(id).toString();
		if (data.hasNonNull("reason")) {
			api.postMessage(channel, thread, ":warning: Comic " + comic + " could not be made: "
					+ SlackMarkdown.escape(data.path("reason").asText()), null);
			return;
		}
		String title = data.path("title").asText("");
		byte[] strip = media.load(data.path("strip").asText("")).map(Media::bytes).orElse(null);
		if (strip == null) {
			log.warn("the strip of comic {} is not stored; telling its title only", comic);
			api.postMessage(channel, thread,
					":frame_with_picture: *" + SlackMarkdown.escape(title) + "* (comic " + comic
							+ ") is finished, but its strip is missing here: open it under *Comics* on the web page.",
					null);
			return;
		}
		api.uploadImage(channel, thread, strip, "comic-" + id + ".png", title,
				":frame_with_picture: *" + SlackMarkdown.escape(title) + "* — comic " + comic + " is ready. "
						+ "It is also in your gallery under *Comics* on the web page, where every step can be edited.");
	}

}
