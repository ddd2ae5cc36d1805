package io.switchboard.assistant;

import io.switchboard.conversation.Exchange;
import io.switchboard.llm.FinishReason;
import io.switchboard.llm.TokenUsage;

/** What the assistant tells a channel while it handles a message, in order. */
public sealed interface ReplyEvent {

	/**
	 * A complete reply that is not a model's answer (command results, notices, refusals).
	 */
	record Notice(Reply reply) implements ReplyEvent {
	}

	/**
	 * A model has started on an answer: a channel shows its typing or loading signal.
	 *
	 * @param demo whether the answer comes from the demo model (channels label it)
	 */
	record AnswerStarted(String model, boolean demo, String sessionTitle) implements ReplyEvent {
	}

	/** The next piece of the answer's text. */
	record AnswerDelta(String text) implements ReplyEvent {
	}

	/** The answer is complete and recorded. */
	record AnswerCompleted(Exchange exchange, String text, TokenUsage usage, long costNanos, FinishReason finishReason,
			boolean demo) implements ReplyEvent {
	}

	/**
	 * The model call failed; the message is written for the user. Nothing was recorded.
	 */
	record AnswerFailed(String message) implements ReplyEvent {
	}

}
