package io.switchboard.conversation;

import java.time.Instant;
import java.util.List;

/**
 * A message as kept: its place in the session (topic and order within the topic), its
 * parts, and for answers what they cost.
 *
 * @param author the user who wrote a user message (several may write in a public session)
 * @param tokenCount tokens this message occupies in a context, counted once when stored
 * @param answer model, usage and cost of an answered assistant message, {@code null}
 * otherwise
 * @param state how the question this assistant message answers stands; {@code null} for
 * user messages
 * @param note why a question was not answered ({@link AnswerState#FAILED} or
 * {@link AnswerState#REFUSED}), written for the user; else {@code null}
 * @param replyTo the question an assistant message answers; {@code null} for user
 * messages
 */
public record StoredMessage(long id, SessionId session, int topic, int seq, MessageRole role, UserId author,
		List<MessagePart> parts, int tokenCount, AnswerRecord answer, Instant createdAt, AnswerState state, String note,
		Long replyTo) {

	public StoredMessage {
		parts = List.copyOf(parts);
	}

	public String text() {
		return MessagePart.textOf(parts);
	}

	/** An assistant message whose model answer is there. */
	public boolean answered() {
		return state == AnswerState.ANSWERED;
	}

}
