package io.switchboard.conversation;

import java.time.Instant;

/**
 * A conversation with its own model and system prompt. A public session may be read and
 * used by anyone; only its owner changes or removes it.
 *
 * @param currentTopic the topic new messages go to; {@code /new} raises it so the context
 * starts empty while the history is kept
 * @param updatedAt when someone last chatted in it
 * @param modifiedAt when its settings last changed
 */
public record Session(SessionId id, UserId owner, String title, String model, String systemPrompt, boolean isPublic,
		Place origin, int currentTopic, Instant createdAt, Instant updatedAt, Instant modifiedAt) {

	public boolean isOwnedBy(UserId user) {
		return owner.equals(user);
	}

	/** Whether the user may read this session and chat in it. */
	public boolean isOpenTo(UserId user) {
		return isPublic || isOwnedBy(user);
	}

}
