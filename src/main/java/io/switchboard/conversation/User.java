package io.switchboard.conversation;

import java.time.Instant;

/**
 * A person using Switchboard, on any number of platforms.
 *
 * @param defaultModel the model for the user's new sessions, or {@code null} for the
 * server's
 * @param defaultSystemPrompt the system prompt for new sessions, or {@code null}
 * @param maxOutputTokens the longest answer the user wants, or {@code null} for the
 * model's
 * @param currentSession the session ordinary messages continue, or {@code null}
 * @param showPublicSessions whether session lists include other people's public sessions
 * @param attachNewSessions whether a session started by a message becomes the current one
 * @param updatedAt when the user last chatted
 * @param modifiedAt when the user's settings last changed
 */
public record User(UserId id, String displayName, UserRole role, UserState state, ChatMode mode, String defaultModel,
		String defaultSystemPrompt, Integer maxOutputTokens, SessionId currentSession, boolean showPublicSessions,
		boolean attachNewSessions, Instant createdAt, Instant updatedAt, Instant modifiedAt) {

	public boolean isAdmin() {
		return role == UserRole.ADMIN;
	}

}
