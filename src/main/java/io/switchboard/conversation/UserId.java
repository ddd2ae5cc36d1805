package io.switchboard.conversation;

/**
 * Identifies a user across every platform. Serializable because a web sign-in's principal
 * holds one, and sign-ins are kept in the database for every node to read.
 */
public record UserId(long value) implements java.io.Serializable {

	@Override
	public String toString() {
		return Long.toString(value);
	}

}
