package io.switchboard.conversation;

/** What a user may administer. */
public enum UserRole {

	/** Manages users, API keys and settings of others. The first web account is one. */
	ADMIN,
	/** Uses the server. */
	MEMBER

}
