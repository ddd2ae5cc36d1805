package io.switchboard.llm.anthropic;

import java.util.function.Consumer;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;

import io.switchboard.llm.ChatProvider;
import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.LlmProperties;
import io.switchboard.llm.TokenCounter;
import io.switchboard.llm.internal.BlockingHttpClient;
import io.switchboard.llm.internal.Failures;
import io.switchboard.llm.internal.LangChain4jChat;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Anthropic's Messages API through LangChain4j: the system message goes in the
 * {@code system} field, images as base64 {@code image} blocks, and the conversation is
 * reshaped to start with the user and alternate roles, as Anthropic requires.
 */
public final class AnthropicChatProvider implements ChatProvider {

	static final String DEFAULT_BASE_URL = "https://api.anthropic.com/v1/";

	private final String name;

	private final LangChain4jChat chat;

	public AnthropicChatProvider(String name, LlmProperties.Provider settings, TokenCounter tokens) {
		this.name = name;
		if (settings.apiKey() == null || settings.apiKey().isBlank()) {
			throw new InvalidConfigurationPropertyValueException("switchboard.llm.providers." + name + ".api-key", "",
					"Anthropic needs an API key.");
		}
		Failures failures = new Failures(name, settings.apiKey());
		String baseUrl = settings.baseUrl() == null ? DEFAULT_BASE_URL : settings.baseUrl().toString();
		BlockingHttpClient.Builder http = BlockingHttpClient.builder()
			.connectTimeout(settings.connectTimeout())
			.readTimeout(settings.readTimeout());
		AnthropicChatModel chatModel = AnthropicChatModel.builder()
			.httpClientBuilder(http)
			.baseUrl(baseUrl)
			.apiKey(settings.apiKey())
			.customHeaders(settings.headers())
			// a breakpoint after the system prompt (with the user's memory and the
			// conversation's summary), which changes only when a conversation is
			// compacted; Conversation marks the last user turn for the rest
			.cacheSystemMessages(true)
			.maxRetries(0) // ChatModels retries, with metrics and Retry-After
			.build();
		AnthropicStreamingChatModel streamingModel = AnthropicStreamingChatModel.builder()
			.httpClientBuilder(http)
			.baseUrl(baseUrl)
			.apiKey(settings.apiKey())
			.customHeaders(settings.headers())
			.cacheSystemMessages(true)
			.build();
		this.chat = new LangChain4jChat(chatModel, streamingModel, new AnthropicDialect(failures), failures, tokens);
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public ChatResponse chat(ChatRequest request) {
		return chat.chat(request);
	}

	@Override
	public ChatResponse stream(ChatRequest request, Consumer<String> onText) {
		return chat.stream(request, onText);
	}

}
