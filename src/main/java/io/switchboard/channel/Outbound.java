package io.switchboard.channel;

import java.util.List;

import io.switchboard.assistant.Reply;
import io.switchboard.comic.ComicId;
import io.switchboard.conversation.Exchange;
import io.switchboard.image.ImageJob;

/** What a {@link ChannelRenderer} shows: one delivery, as it stands now. */
public sealed interface Outbound {

	/**
	 * The answer to a question: the model's text ({@code exchange.answer().answered()}),
	 * or the reason there is none ({@code state()} failed or refused, {@code note()}).
	 *
	 * @param demo whether the demo model answered (platforms label it)
	 * @param speech the answer spoken aloud, in pieces, for an asker who wants spoken
	 * answers ({@code /user voice on}); empty otherwise. Platforms that play audio send
	 * it after the text.
	 */
	record Answer(Exchange exchange, boolean demo, List<io.switchboard.voice.Spoken> speech) implements Outbound {

		public Answer {
			speech = speech == null ? List.of() : List.copyOf(speech);
		}

		public Answer(Exchange exchange, boolean demo) {
			this(exchange, demo, List.of());
		}

	}

	/**
	 * A command's replies, or a channel's own (a welcome), in order.
	 *
	 * @param answerFollows whether the same event's answer is still to come (what was
	 * heard in a voice message goes first): a channel that ends its conversation turn
	 * after a delivery (the web page's event stream) keeps it open
	 */
	record Notices(List<Reply> replies, boolean answerFollows) implements Outbound {

		public Notices {
			replies = List.copyOf(replies);
		}

		public Notices(List<Reply> replies) {
			this(replies, false);
		}

	}

	/**
	 * An image job's message, as the job stands now: waiting, its progress, its result
	 * with the buttons for the next step, or why it failed.
	 */
	record Image(ImageJob job) implements Outbound {
	}

	/**
	 * A comic made by {@code /comic}: finished (its title and strip) or failed (why).
	 *
	 * @param requester who sent {@code /comic}, by their platform id
	 * @param stripSha256 the strip in the media store, {@code null} when it failed
	 * @param failure why it could not be made, written for the user; {@code null} when it
	 * is finished
	 */
	record Comic(ComicId comic, String requester, String title, String stripSha256,
			String failure) implements Outbound {

		public boolean finished() {
			return failure == null;
		}

	}

}
