package io.switchboard.conversation;

/** Identifies a user across every platform. */
public record UserId(long value) {

	@Override
	public String toString() {
		return Long.toString(value);
	}

}
