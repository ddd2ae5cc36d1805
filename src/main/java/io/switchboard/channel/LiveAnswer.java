package io.switchboard.channel;

import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ReplySink;

/**
 * A platform's view of an answer while it is written: a typing signal, a placeholder
 * edited as the text streams in. It is a courtesy, not the delivery: the finished answer
 * (or the reason there is none) is delivered afterwards through the platform's
 * {@link ChannelRenderer#send}, which takes over whatever the live view posted.
 */
public interface LiveAnswer extends ReplySink {

	/** A live view that shows nothing (the platform has none, or this node cannot). */
	LiveAnswer QUIET = event -> {
	};

	/**
	 * The turn waits for its model's provider, behind {@code ahead} other turns; called
	 * again when the count changes.
	 */
	default void queued(int ahead) {
	}

	/**
	 * The assistant's events, in order: {@link ReplyEvent.AnswerStarted}, the
	 * {@link ReplyEvent.AnswerDelta}s, then {@link ReplyEvent.AnswerCompleted} or
	 * {@link ReplyEvent.AnswerFailed}.
	 */
	@Override
	void accept(ReplyEvent event);

}
