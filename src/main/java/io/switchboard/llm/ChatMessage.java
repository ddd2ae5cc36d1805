package io.switchboard.llm;

import java.util.List;

/** A message of a chat request: a role and its content parts. */
public record ChatMessage(Role role, List<ContentPart> parts) {

	public ChatMessage {
		if (role == null) {
			throw new IllegalArgumentException("role must not be null");
		}
		parts = List.copyOf(parts);
		if (parts.isEmpty()) {
			throw new IllegalArgumentException("a message needs at least one part");
		}
	}

	public static ChatMessage system(String text) {
		return new ChatMessage(Role.SYSTEM, List.of(new ContentPart.Text(text)));
	}

	public static ChatMessage user(String text) {
		return new ChatMessage(Role.USER, List.of(new ContentPart.Text(text)));
	}

	public static ChatMessage assistant(String text) {
		return new ChatMessage(Role.ASSISTANT, List.of(new ContentPart.Text(text)));
	}

	/** The text parts joined, for providers and logs that need plain text. */
	public String text() {
		StringBuilder text = new StringBuilder();
		for (ContentPart part : parts) {
			if (part instanceof ContentPart.Text(String value)) {
				text.append(value);
			}
		}
		return text.toString();
	}

	/** The tool calls this (assistant) message makes, in order. */
	public java.util.List<ContentPart.ToolCall> toolCalls() {
		return parts.stream()
			.filter(ContentPart.ToolCall.class::isInstance)
			.map(ContentPart.ToolCall.class::cast)
			.toList();
	}

	public boolean hasImages() {
		return parts.stream().anyMatch(ContentPart.Image.class::isInstance);
	}

}
