package io.switchboard.conversation;

import java.time.Instant;

/**
 * The storage port for destructive actions waiting for their confirmation; adapters as
 * for {@link UserStorage}.
 */
interface ConfirmationStorage {

	/** Remembers the action, replacing any earlier one of the same kind. */
	void put(UserId user, String action, String argument, Instant expiresAt);

	/**
	 * Takes the pending confirmation if it matches and has not expired; true if one was
	 * taken.
	 */
	boolean take(UserId user, String action, String argument, Instant now);

	void cancel(UserId user, String action);

	/**
	 * The user's unexpired pending actions whose names start with {@code actionPrefix},
	 * by action name: action to argument.
	 */
	java.util.SortedMap<String, String> pending(UserId user, String actionPrefix, Instant now);

}
