package io.switchboard.llm.openai;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.llm.ChatMessage;
import io.switchboard.llm.ChatProvider;
import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.ContentPart;
import io.switchboard.llm.FinishReason;
import io.switchboard.llm.LlmException;
import io.switchboard.llm.LlmProperties;
import io.switchboard.llm.TokenCounter;
import io.switchboard.llm.TokenUsage;

/**
 * OpenAI's chat completions protocol, spoken by OpenAI, Azure's compatible endpoint,
 * Ollama, vLLM, LM Studio, OpenRouter, DeepSeek and others. A direct HTTP client rather
 * than an SDK, so that streamed pieces are handed on the moment they arrive.
 */
public final class OpenAiCompatibleChatProvider implements ChatProvider {

	static final URI DEFAULT_BASE_URL = URI.create("https://api.openai.com/v1");

	private final String name;

	private final LlmProperties.Provider settings;

	private final ObjectMapper json;

	private final TokenCounter tokens;

	private final HttpClient http;

	private final URI completionsUri;

	public OpenAiCompatibleChatProvider(String name, LlmProperties.Provider settings, ObjectMapper json,
			TokenCounter tokens) {
		this.name = name;
		this.settings = settings;
		this.json = json;
		this.tokens = tokens;
		URI base = settings.baseUrl() == null ? DEFAULT_BASE_URL : settings.baseUrl();
		this.completionsUri = URI.create(stripSlash(base.toString()) + "/chat/completions");
		this.http = HttpClient.newBuilder()
			.connectTimeout(settings.connectTimeout())
			// plain-text local servers (Ollama, vLLM) often mishandle an h2c upgrade
			.version("http".equals(base.getScheme()) ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2)
			.build();
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public ChatResponse chat(ChatRequest request) {
		HttpResponse<InputStream> response = send(request, false);
		try (InputStream body = response.body()) {
			JsonNode answer = json.readTree(body);
			JsonNode choice = answer.path("choices").path(0);
			String text = choice.path("message").path("content").asText("");
			FinishReason finish = finishReason(choice.path("finish_reason").asText(null));
			return new ChatResponse(text, usage(answer.path("usage"), request, text), finish);
		}
		catch (IOException broken) {
			throw new LlmException.ProviderUnavailable(name, response.statusCode(),
					"unreadable answer: " + broken.getMessage(), broken);
		}
	}

	@Override
	public ChatResponse stream(ChatRequest request, Consumer<String> onText) {
		HttpResponse<InputStream> response = send(request, true);
		StringBuilder text = new StringBuilder();
		JsonNode usage = null;
		FinishReason finish = null;
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				if (!line.startsWith("data:")) {
					continue; // blank separators, comments and event names
				}
				String data = line.substring(5).strip();
				if ("[DONE]".equals(data)) {
					break;
				}
				JsonNode chunk = json.readTree(data);
				if (chunk.has("error")) {
					throw errorFrom(response.statusCode(), chunk, response);
				}
				if (chunk.hasNonNull("usage") && chunk.get("usage").isObject()) {
					usage = chunk.get("usage");
				}
				for (JsonNode choice : chunk.path("choices")) {
					String piece = choice.path("delta").path("content").asText("");
					if (!piece.isEmpty()) {
						text.append(piece);
						onText.accept(piece);
					}
					if (choice.hasNonNull("finish_reason")) {
						finish = finishReason(choice.get("finish_reason").asText());
					}
				}
			}
		}
		catch (HttpTimeoutException timeout) {
			throw new LlmException.ProviderTimeout(name, "stream stalled: " + timeout.getMessage(), timeout);
		}
		catch (IOException broken) {
			throw new LlmException.ProviderUnavailable(name, response.statusCode(),
					"stream broken: " + broken.getMessage(), broken);
		}
		String answer = text.toString();
		return new ChatResponse(answer, usage(usage, request, answer), finish);
	}

	private HttpResponse<InputStream> send(ChatRequest request, boolean stream) {
		HttpRequest.Builder http = HttpRequest.newBuilder(completionsUri)
			.timeout(settings.readTimeout())
			.header("Content-Type", "application/json")
			.header("Accept", stream ? "text/event-stream" : "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body(request, stream)));
		if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
			if ("Authorization".equalsIgnoreCase(settings.apiKeyHeader())) {
				http.header("Authorization", "Bearer " + settings.apiKey());
			}
			else {
				http.header(settings.apiKeyHeader(), settings.apiKey());
			}
		}
		settings.headers().forEach(http::header);
		HttpResponse<InputStream> response;
		try {
			response = this.http.send(http.build(), HttpResponse.BodyHandlers.ofInputStream());
		}
		catch (HttpTimeoutException timeout) {
			throw new LlmException.ProviderTimeout(name, "no answer within " + settings.readTimeout(), timeout);
		}
		catch (ConnectException refused) {
			throw new LlmException.ProviderUnavailable(name, 0, "cannot connect to " + completionsUri.getHost(),
					refused);
		}
		catch (IOException broken) {
			throw new LlmException.ProviderUnavailable(name, 0, "request failed: " + broken.getMessage(), broken);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new LlmException.ProviderTimeout(name, "interrupted", interrupted);
		}
		if (response.statusCode() >= 300) {
			JsonNode error;
			try (InputStream body = response.body()) {
				byte[] bytes = body.readAllBytes();
				error = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
			}
			catch (IOException unreadable) {
				error = json.createObjectNode();
			}
			throw errorFrom(response.statusCode(), error, response);
		}
		return response;
	}

	byte[] body(ChatRequest request, boolean stream) {
		ObjectNode body = json.createObjectNode();
		body.put("model", request.model().upstreamId());
		ArrayNode messages = body.putArray("messages");
		for (ChatMessage message : request.messages()) {
			ObjectNode out = messages.addObject();
			out.put("role", message.role().name().toLowerCase(java.util.Locale.ROOT));
			if (message.hasImages()) {
				ArrayNode parts = out.putArray("content");
				for (ContentPart part : message.parts()) {
					switch (part) {
						case ContentPart.Text text -> parts.addObject().put("type", "text").put("text", text.text());
						case ContentPart.Image image -> parts.addObject()
							.put("type", "image_url")
							.putObject("image_url")
							.put("url", image.dataUrl());
					}
				}
			}
			else {
				out.put("content", message.text());
			}
		}
		body.put("max_tokens", request.maxOutputTokens());
		if (request.temperature() != null) {
			body.put("temperature", request.temperature());
		}
		if (stream) {
			body.put("stream", true);
			body.putObject("stream_options").put("include_usage", true);
		}
		try {
			return json.writeValueAsBytes(body);
		}
		catch (IOException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	private LlmException errorFrom(int status, JsonNode body, HttpResponse<?> response) {
		JsonNode error = body.path("error");
		String message = error.isTextual() ? error.asText() : error.path("message").asText("HTTP " + status);
		String code = error.path("code").asText("") + " " + error.path("type").asText("");
		if (status == 429) {
			long retryAfter = response.headers()
				.firstValue("retry-after")
				.map(OpenAiCompatibleChatProvider::seconds)
				.orElse(0L);
			return new LlmException.RateLimited(name, message, retryAfter);
		}
		if (status == 401 || status == 403) {
			return new LlmException.AuthenticationFailed(name, status, message);
		}
		if (code.contains("context_length") || message.contains("maximum context length")) {
			return new LlmException.ContextLengthExceeded(name, message);
		}
		if (code.contains("content_filter") || code.contains("content_policy")) {
			return new LlmException.ContentFiltered(name, status, message);
		}
		if (status >= 500 || status == 0 || status == 200) {
			return new LlmException.ProviderUnavailable(name, status, message, null);
		}
		return new LlmException.InvalidRequest(name, status, message);
	}

	private TokenUsage usage(JsonNode usage, ChatRequest request, String answer) {
		if (usage != null && usage.has("prompt_tokens")) {
			return new TokenUsage(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt());
		}
		// some compatible servers report no usage: estimate rather than record zero cost
		return new TokenUsage(tokens.count(request.messages()), tokens.count(answer));
	}

	static FinishReason finishReason(String value) {
		if (value == null) {
			return FinishReason.STOP;
		}
		return switch (value) {
			case "stop" -> FinishReason.STOP;
			case "length" -> FinishReason.LENGTH;
			case "content_filter" -> FinishReason.CONTENT_FILTER;
			default -> FinishReason.OTHER;
		};
	}

	private static long seconds(String retryAfter) {
		try {
			return Math.max(0, (long) Math.ceil(Double.parseDouble(retryAfter.strip())));
		}
		catch (NumberFormatException notSeconds) {
			return 0; // an HTTP date: fall back to backoff
		}
	}

	private static String stripSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

}
