package io.switchboard.llm.gemini;

import java.util.function.Consumer;

import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;

import io.switchboard.llm.ChatProvider;
import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.LlmProperties;
import io.switchboard.llm.TokenCounter;
import io.switchboard.llm.internal.BlockingHttpClient;
import io.switchboard.llm.internal.Failures;
import io.switchboard.llm.internal.LangChain4jChat;

/**
 * Google's Gemini API through LangChain4j: the system message goes in
 * {@code systemInstruction}, images as {@code inlineData}, the key in the
 * {@code x-goog-api-key} header, and streaming uses
 * {@code :streamGenerateContent?alt=sse}.
 */
public final class GeminiChatProvider implements ChatProvider {

	static final String DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

	private final String name;

	private final LangChain4jChat chat;

	public GeminiChatProvider(String name, LlmProperties.Provider settings, TokenCounter tokens) {
		this.name = name;
		Failures failures = new Failures(name, settings.apiKey());
		GeminiDialect dialect = new GeminiDialect(failures);
		String baseUrl = settings.baseUrl() == null ? DEFAULT_BASE_URL : settings.baseUrl().toString();
		// LangChain4j appends "/models/..." itself
		baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
		String apiKey = settings.apiKey() == null || settings.apiKey().isBlank() ? null : settings.apiKey();
		BlockingHttpClient.Builder http = BlockingHttpClient.builder()
			.connectTimeout(settings.connectTimeout())
			.readTimeout(settings.readTimeout())
			.check(dialect::rejectAnswer);
		GoogleAiGeminiChatModel chatModel = GoogleAiGeminiChatModel.builder()
			.httpClientBuilder(http)
			.baseUrl(baseUrl)
			.apiKey(apiKey)
			.customHeaders(settings.headers())
			.maxRetries(0) // ChatModels retries, with metrics and Retry-After
			.build();
		GoogleAiGeminiStreamingChatModel streamingModel = GoogleAiGeminiStreamingChatModel.builder()
			.httpClientBuilder(http)
			.baseUrl(baseUrl)
			.apiKey(apiKey)
			.customHeaders(settings.headers())
			.build();
		this.chat = new LangChain4jChat(chatModel, streamingModel, dialect, failures, tokens);
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
