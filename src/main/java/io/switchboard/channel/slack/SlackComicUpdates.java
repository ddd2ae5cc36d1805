package io.switchboard.channel.slack;

import io.switchboard.channel.ChannelInbox;
import io.switchboard.comic.ComicFailed;
import io.switchboard.comic.ComicFinished;

import org.springframework.context.event.EventListener;

/**
 * Takes the comics made by {@code /comic} in Slack into the {@link ChannelInbox} when
 * they are finished or have failed, under an id made of the comic and its outcome: the
 * inbox's worker then delivers each once ({@link SlackComics}), off the thread that made
 * the comic, even if the process stops in between.
 */
final class SlackComicUpdates {

	private final ChannelInbox inbox;

	SlackComicUpdates(ChannelInbox inbox) {
		this.inbox = inbox;
	}

	@EventListener
	void on(ComicFinished finished) {
		if (SlackComics.isSlack(finished.origin())) {
			inbox.accept(SlackMessages.PLATFORM, SlackComics.eventId(finished.comic(), "finished"),
					SlackComics.payload(finished));
		}
	}

	@EventListener
	void on(ComicFailed failed) {
		if (SlackComics.isSlack(failed.origin())) {
			inbox.accept(SlackMessages.PLATFORM, SlackComics.eventId(failed.comic(), "failed"),
					SlackComics.payload(failed));
		}
	}

}
