package io.switchboard.conversation;

/** Identifies a session. Shown to users as {@code #<value>}. */
public record SessionId(long value) {

	/** Parses {@code 12} or {@code #12}; empty when the text is not a session number. */
	public static java.util.Optional<SessionId> parse(String text) {
		if (text == null) {
			return java.util.Optional.empty();
		}
		String digits = text.strip();
		if (digits.startsWith("#")) {
			digits = digits.substring(1);
		}
		if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
			return java.util.Optional.empty();
		}
		return java.util.Optional.of(new SessionId(Long.parseLong(digits)));
	}

	@Override
	public String toString() {
		return "#" + value;
	}

}
