package io.switchboard.channel;

import java.util.List;
import java.util.Objects;

import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Reply;
import io.switchboard.voice.Heard;

/**
 * One platform event, as a channel hands it to the {@link Intake}.
 *
 * @param platform the channel's platform, e.g. {@code line}
 * @param key the event's de-duplication key on that platform (LINE's
 * {@code webhookEventId}, Slack's channel and message ts, a Discord message or
 * interaction id): an event with a key seen before gets nothing new
 * @param address where the answers go, in the platform's own terms: an instance of its
 * {@link ChannelRenderer#addressType()}
 * @param body what the event asks for
 * @param onAccepted channel work done in the intake's transaction once the event is known
 * to be new (e.g. using up the photos that wait for this question); may be {@code null}
 */
public record Inbound(String platform, String key, Object address, Body body, Runnable onAccepted) {

	public Inbound {
		Objects.requireNonNull(platform, "platform");
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(body, "body");
		if (!(body instanceof Body.Quiet)) {
			Objects.requireNonNull(address, "address");
		}
	}

	/** A message from a person, for the assistant: a command, or a question to answer. */
	public static Inbound message(String platform, String key, Object address, InboundMessage message) {
		return new Inbound(platform, key, address, new Body.Message(message, null), null);
	}

	/**
	 * A voice message's words, handled as if typed: the sender is shown what was heard
	 * first, and the clip's seconds go into their usage.
	 */
	public static Inbound heard(String platform, String key, Object address, InboundMessage message,
			Heard.Words heard) {
		Objects.requireNonNull(heard, "heard");
		return new Inbound(platform, key, address, new Body.Message(message, heard), null);
	}

	/** An event the channel answers itself (a welcome, "I cannot read videos yet"). */
	public static Inbound replies(String platform, String key, Object address, List<Reply> replies) {
		return new Inbound(platform, key, address, new Body.Replies(replies), null);
	}

	/** An event only recorded, so that it is not taken twice. */
	public static Inbound quiet(String platform, String key) {
		return new Inbound(platform, key, null, new Body.Quiet(), null);
	}

	/** The same event, with channel work for the intake's transaction. */
	public Inbound onAccepted(Runnable work) {
		return new Inbound(platform, key, address, body, work);
	}

	/** What an event asks for. */
	public sealed interface Body {

		/**
		 * A person's message, for the assistant.
		 *
		 * @param heard the voice message it was heard from, or {@code null} when typed
		 */
		record Message(InboundMessage message, Heard.Words heard) implements Body {
		}

		/** Replies the channel made itself; empty means none. */
		record Replies(List<Reply> replies) implements Body {

			public Replies {
				replies = List.copyOf(replies);
			}

		}

		/** Nothing to answer. */
		record Quiet() implements Body {
		}

	}

}
