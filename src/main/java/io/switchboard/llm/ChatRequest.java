package io.switchboard.llm;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable chat request, validated once here so that adapters only translate.
 *
 * @param model the configured model to call
 * @param messages the conversation, system message first if any
 * @param maxOutputTokens the most tokens the answer may have
 * @param temperature sampling temperature, or {@code null} for the provider's default
 * @param tools the tools the model may ask for (none: it can only write)
 */
public record ChatRequest(ModelSpec model, List<ChatMessage> messages, int maxOutputTokens, Double temperature,
		List<ToolSpec> tools) {

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
		tools = tools == null ? List.of() : List.copyOf(tools);
		Set<String> names = new HashSet<>();
		for (ToolSpec tool : tools) {
			if (!names.add(tool.name())) {
				throw new IllegalArgumentException("two tools are named " + tool.name());
			}
		}
	}

	public ChatRequest(ModelSpec model, List<ChatMessage> messages, int maxOutputTokens, Double temperature) {
		this(model, messages, maxOutputTokens, temperature, List.of());
	}

	public ChatRequest(ModelSpec model, List<ChatMessage> messages, int maxOutputTokens) {
		this(model, messages, maxOutputTokens, null, List.of());
	}

	public boolean hasImages() {
		return messages.stream().anyMatch(ChatMessage::hasImages);
	}

}
