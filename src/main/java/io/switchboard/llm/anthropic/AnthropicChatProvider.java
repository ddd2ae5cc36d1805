package io.switchboard.llm.anthropic;

import java.util.function.Consumer;

import io.switchboard.llm.ChatProvider;
import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.LlmProperties;
import io.switchboard.llm.TokenCounter;

/**
 * Anthropic's protocol through LangChain4j. (Being written: see the llm adapter work.)
 */
public final class AnthropicChatProvider implements ChatProvider {

	private final String name;

	public AnthropicChatProvider(String name, LlmProperties.Provider settings, TokenCounter tokens) {
		this.name = name;
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public ChatResponse chat(ChatRequest request) {
		throw new UnsupportedOperationException("not yet");
	}

	@Override
	public ChatResponse stream(ChatRequest request, Consumer<String> onText) {
		throw new UnsupportedOperationException("not yet");
	}

}
