package io.switchboard.llm;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.switchboard.llm.anthropic.AnthropicChatProvider;
import io.switchboard.llm.demo.DemoChatProvider;
import io.switchboard.llm.gemini.GeminiChatProvider;
import io.switchboard.llm.openai.OpenAiCompatibleChatProvider;

import org.springframework.stereotype.Component;

/** Builds one {@link ChatProvider} per configured provider, by its wire protocol. */
@Component
public class ChatProviders {

	private final Map<String, ChatProvider> byName = new LinkedHashMap<>();

	public ChatProviders(ModelCatalog catalog, LlmProperties properties, TokenCounter tokens, ObjectMapper json) {
		catalog.providers().forEach((name, provider) -> byName.put(name, switch (provider.type()) {
			case OPENAI -> new OpenAiCompatibleChatProvider(name, provider, json, tokens);
			case ANTHROPIC -> new AnthropicChatProvider(name, provider, tokens);
			case GEMINI -> new GeminiChatProvider(name, provider, tokens);
			case DEMO -> new DemoChatProvider(name, properties.demo().chunkDelay(), tokens);
		}));
	}

	/** The providers by configured name. */
	public Map<String, ChatProvider> byName() {
		return Map.copyOf(byName);
	}

}
