package io.switchboard.conversation;

/** Whether and how a user's ordinary messages are answered. */
public enum UserState {

	/** The next message starts a new session, titled from that message. */
	NEW,
	/** Messages continue the current session. */
	ACTIVE,
	/** Ordinary messages are ignored; commands still work. */
	DISABLED;

	String dbValue() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	static UserState fromDb(String value) {
		return valueOf(value.toUpperCase(java.util.Locale.ROOT));
	}

	/**
	 * Parses a user's word for a state, accepting the Discord panel's "activate" and
	 * "disable".
	 */
	public static java.util.Optional<UserState> parse(String word) {
		return switch (word == null ? "" : word.strip().toLowerCase(java.util.Locale.ROOT)) {
			case "new" -> java.util.Optional.of(NEW);
			case "active", "activate", "on" -> java.util.Optional.of(ACTIVE);
			case "disabled", "disable", "off" -> java.util.Optional.of(DISABLED);
			default -> java.util.Optional.empty();
		};
	}

}
