package io.switchboard.conversation;

/** What a user's ordinary messages do: chat with a model, or become image prompts. */
public enum ChatMode {

	CHAT, IMAGE;

	public static java.util.Optional<ChatMode> parse(String word) {
		return switch (word == null ? "" : word.strip().toLowerCase(java.util.Locale.ROOT)) {
			case "chat", "text" -> java.util.Optional.of(CHAT);
			case "image", "images", "imagine", "draw" -> java.util.Optional.of(IMAGE);
			default -> java.util.Optional.empty();
		};
	}

}
