package io.switchboard.conversation;

import java.time.Instant;
import java.util.List;

/**
 * A message as kept: its place in the session (topic and order within the topic, seed
 * 000's dialog_count and dialog_order), its parts, and for answers what they cost.
 *
 * @param author the user who wrote a user message (several may write in a public session)
 * @param tokenCount tokens this message occupies in a context, counted once when stored
 * @param answer model, usage and cost of an assistant message, {@code null} for user
 * messages
 */
public record StoredMessage(long id, SessionId session, int topic, int seq, MessageRole role, UserId author,
		List<MessagePart> parts, int tokenCount, AnswerRecord answer, Instant createdAt) {

	public StoredMessage {
		parts = List.copyOf(parts);
	}

	public String text() {
		return MessagePart.textOf(parts);
	}

}
