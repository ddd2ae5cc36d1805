package io.switchboard.assistant;

import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.SessionId;
import io.switchboard.llm.FinishReason;
import io.switchboard.llm.TokenUsage;

/**
 * What the assistant tells a channel about a message, in order: the replies of a command
 * ({@link Notice}), or the course of an answer as it is written.
 */
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
	 * @param session the session the answer goes to
	 */
	record AnswerStarted(String model, boolean demo, SessionId session, String sessionTitle) implements ReplyEvent {
	}

	/** The next piece of the answer's text. */
	record AnswerDelta(String text) implements ReplyEvent {
	}

	/**
	 * A tool the model asked for has run (or failed): channels show it in their own way
	 * while the answer is written.
	 *
	 * @param tool the tool's name
	 * @param summary a short line on what it did, for the user
	 * @param error whether it failed
	 * @param imageJob an image job it started, or {@code null} (the web page follows it)
	 */
	record ToolUsed(String tool, String summary, boolean error, Long imageJob) implements ReplyEvent {
	}

	/**
	 * The answer is complete and recorded; {@code exchange} holds question and answer.
	 */
	record AnswerCompleted(Exchange exchange, String text, TokenUsage usage, long costNanos, FinishReason finishReason,
			boolean demo) implements ReplyEvent {
	}

	/**
	 * No answer: the model failed, or the question may not be answered. The message is
	 * written for the user; the question is kept, marked failed or refused with it.
	 */
	record AnswerFailed(String message) implements ReplyEvent {
	}

}
