package io.switchboard.llm;

import java.util.List;

/**
 * An immutable chat request, validated once here so that adapters only translate.
 *
 * @param model the configured model to call
 * @param messages the conversation, system message first if any
 * @param maxOutputTokens the most tokens the answer may have
 * @param temperature sampling temperature, or {@code null} for the provider's default
 */
public record ChatRequest(ModelSpec model, List<ChatMessage> messages, int maxOutputTokens, Double temperature) {

	public ChatRequest {
		if (model == null) {
			throw new IllegalArgumentException("model must not be null");
		}
		messages = List.copyOf(messages);
		if (messages.isEmpty()) {
			throw new IllegalArgumentException("a chat request needs at least one message");
		}
		if (maxOutputTokens <= 0) {
			throw new IllegalArgumentException("maxOutputTokens must be positive, was " + maxOutputTokens);
		}
	}

	public ChatRequest(ModelSpec model, List<ChatMessage> messages, int maxOutputTokens) {
		this(model, messages, maxOutputTokens, null);
	}

	public boolean hasImages() {
		return messages.stream().anyMatch(ChatMessage::hasImages);
	}

}
