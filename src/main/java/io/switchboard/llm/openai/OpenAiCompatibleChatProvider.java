package io.switchboard.llm.openai;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import io.switchboard.llm.Role;
import io.switchboard.llm.TokenCounter;
import io.switchboard.llm.TokenUsage;
import io.switchboard.llm.ToolSpec;
import io.switchboard.llm.internal.Http;

/**
 * OpenAI's chat completions protocol, spoken by OpenAI, Azure's compatible endpoint,
 * Ollama, vLLM, LM Studio, OpenRouter, DeepSeek and others. A direct HTTP client rather
 * than an SDK, so that streamed pieces are handed on the moment they arrive; {@link Http}
 * bounds every read by the read timeout, so a stream that falls silent midway fails
 * instead of hanging.
 */
public final class OpenAiCompatibleChatProvider implements ChatProvider {

	static final URI DEFAULT_BASE_URL = URI.create("https://api.openai.com/v1");

	private final String name;

	private final LlmProperties.Provider settings;

	private final ObjectMapper json;

	private final TokenCounter tokens;

	private final URI completionsUri;

	public OpenAiCompatibleChatProvider(String name, LlmProperties.Provider settings, ObjectMapper json,
			TokenCounter tokens) {
		this.name = name;
		this.settings = settings;
		this.json = json;
		this.tokens = tokens;
		URI base = settings.baseUrl() == null ? DEFAULT_BASE_URL : settings.baseUrl();
		this.completionsUri = URI.create(stripSlash(base.toString()) + "/chat/completions");
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public ChatResponse chat(ChatRequest request) {
		Http.Answer response = send(request, false);
		try (InputStream body = response.body()) {
			JsonNode answer = json.readTree(body);
			JsonNode choice = answer.path("choices").path(0);
			String text = choice.path("message").path("content").asText("");
			FinishReason finish = finishReason(choice.path("finish_reason").asText(null));
			List<ContentPart.ToolCall> calls = new ArrayList<>();
			for (JsonNode call : choice.path("message").path("tool_calls")) {
				calls
					.add(new ContentPart.ToolCall(call.path("id").asText(), call.path("function").path("name").asText(),
							call.path("function").path("arguments").asText("{}")));
			}
			return new ChatResponse(text, usage(answer.path("usage"), request, text), finish, calls);
		}
		catch (SocketTimeoutException timeout) {
			throw new LlmException.ProviderTimeout(name, "answer stalled: " + timeout.getMessage(), timeout);
		}
		catch (IOException broken) {
			throw new LlmException.ProviderUnavailable(name, response.status(),
					"unreadable answer: " + broken.getMessage(), broken);
		}
	}

	@Override
	public ChatResponse stream(ChatRequest request, Consumer<String> onText) {
		Http.Answer response = send(request, true);
		StringBuilder text = new StringBuilder();
		JsonNode usage = null;
		FinishReason finish = null;
		boolean done = false;
		// tool calls arrive in pieces keyed by index: the first names id and function,
		// the rest add to the arguments
		Map<Integer, StreamedCall> calls = new java.util.TreeMap<>();
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				if (!line.startsWith("data:")) {
					continue; // blank separators, comments and event names
				}
				String data = line.substring(5).strip();
				if ("[DONE]".equals(data)) {
					done = true;
					break;
				}
				JsonNode chunk = json.readTree(data);
				if (chunk.has("error")) {
					throw errorFrom(response.status(), chunk, null);
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
					for (JsonNode call : choice.path("delta").path("tool_calls")) {
						StreamedCall streamed = calls.computeIfAbsent(call.path("index").asInt(calls.size()),
								index -> new StreamedCall());
						streamed.add(call);
					}
					if (choice.hasNonNull("finish_reason")) {
						finish = finishReason(choice.get("finish_reason").asText());
					}
				}
			}
		}
		catch (SocketTimeoutException timeout) {
			throw new LlmException.ProviderTimeout(name, "stream stalled: " + timeout.getMessage(), timeout);
		}
		catch (IOException broken) {
			throw new LlmException.ProviderUnavailable(name, response.status(), "stream broken: " + broken.getMessage(),
					broken);
		}
		if (!done && finish == null) {
			// neither [DONE] nor a finish reason: the stream was cut short
			throw new LlmException.ProviderUnavailable(name, response.status(),
					"the answer stream ended before the answer was complete", null);
		}
		String answer = text.toString();
		List<ContentPart.ToolCall> toolCalls = new ArrayList<>();
		for (StreamedCall call : calls.values()) {
			toolCalls.add(call.complete(name));
		}
		return new ChatResponse(answer, usage(usage, request, answer), finish, toolCalls);
	}

	private Http.Answer send(ChatRequest request, boolean stream) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		headers.put("Content-Type", List.of("application/json"));
		headers.put("Accept", List.of(stream ? "text/event-stream" : "application/json"));
		if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
			if ("Authorization".equalsIgnoreCase(settings.apiKeyHeader())) {
				headers.put("Authorization", List.of("Bearer " + settings.apiKey()));
			}
			else {
				headers.put(settings.apiKeyHeader(), List.of(settings.apiKey()));
			}
		}
		settings.headers().forEach((header, value) -> headers.put(header, List.of(value)));
		Http.Answer response;
		try {
			response = Http.send(completionsUri, "POST", headers, body(request, stream), settings.connectTimeout(),
					settings.readTimeout());
		}
		catch (SocketTimeoutException timeout) {
			throw new LlmException.ProviderTimeout(name, "no answer within " + settings.readTimeout(), timeout);
		}
		catch (ConnectException refused) {
			throw new LlmException.ProviderUnavailable(name, 0, "cannot connect to " + completionsUri.getHost(),
					refused);
		}
		catch (IOException broken) {
			throw new LlmException.ProviderUnavailable(name, 0, "request failed: " + broken.getMessage(), broken);
		}
		if (response.status() >= 300) {
			String text = response.text();
			JsonNode error;
			try {
				error = text.isBlank() ? json.createObjectNode() : json.readTree(text);
			}
			catch (IOException unreadable) {
				error = json.createObjectNode();
			}
			throw errorFrom(response.status(), error, response.header("retry-after"));
		}
		return response;
	}

	byte[] body(ChatRequest request, boolean stream) {
		ObjectNode body = json.createObjectNode();
		body.put("model", request.model().upstreamId());
		ArrayNode messages = body.putArray("messages");
		for (ChatMessage message : request.messages()) {
			if (message.role() == Role.TOOL) {
				// one message per result, each naming its call
				for (ContentPart part : message.parts()) {
					if (part instanceof ContentPart.ToolResult result) {
						messages.addObject()
							.put("role", "tool")
							.put("tool_call_id", result.id())
							.put("content", result.text());
					}
				}
				continue;
			}
			ObjectNode out = messages.addObject();
			out.put("role", message.role().name().toLowerCase(java.util.Locale.ROOT));
			List<ContentPart.ToolCall> toolCalls = message.toolCalls();
			if (!toolCalls.isEmpty()) {
				String said = message.text();
				if (said.isEmpty()) {
					out.putNull("content");
				}
				else {
					out.put("content", said);
				}
				ArrayNode calls = out.putArray("tool_calls");
				for (ContentPart.ToolCall call : toolCalls) {
					ObjectNode function = calls.addObject()
						.put("id", call.id())
						.put("type", "function")
						.putObject("function");
					function.put("name", call.name()).put("arguments", call.arguments());
				}
			}
			else if (message.hasImages()) {
				ArrayNode parts = out.putArray("content");
				for (ContentPart part : message.parts()) {
					switch (part) {
						case ContentPart.Text text -> parts.addObject().put("type", "text").put("text", text.text());
						case ContentPart.Image image -> parts.addObject()
							.put("type", "image_url")
							.putObject("image_url")
							.put("url", image.dataUrl())
							.put("detail", request.model().imageDetail().wireValue());
						case ContentPart.ToolCall call -> {
							// only in assistant messages, written above
						}
						case ContentPart.ToolResult result -> {
							// only in tool messages, written above
						}
					}
				}
			}
			else {
				out.put("content", message.text());
			}
		}
		if (!request.tools().isEmpty()) {
			ArrayNode tools = body.putArray("tools");
			for (ToolSpec tool : request.tools()) {
				ObjectNode function = tools.addObject().put("type", "function").putObject("function");
				function.put("name", tool.name()).put("description", tool.description());
				try {
					function.set("parameters", json.readTree(tool.parameters()));
				}
				catch (IOException notJson) {
					throw new LlmException.InvalidRequest(name, 0,
							"the parameters of tool " + tool.name() + " are not JSON: " + notJson.getMessage());
				}
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

	private LlmException errorFrom(int status, JsonNode body, String retryAfterHeader) {
		JsonNode error = body.path("error");
		String message = redact(error.isTextual() ? error.asText() : error.path("message").asText("HTTP " + status));
		String code = error.path("code").asText("") + " " + error.path("type").asText("");
		if (status == 429) {
			long retryAfter = retryAfterHeader == null ? 0 : seconds(retryAfterHeader);
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

	/** Some servers echo the key they were sent in their errors. */
	private String redact(String message) {
		String key = settings.apiKey();
		return key == null || key.isBlank() ? message : message.replace(key, "[redacted]");
	}

	private TokenUsage usage(JsonNode usage, ChatRequest request, String answer) {
		if (usage != null && usage.has("prompt_tokens")) {
			int input = usage.path("prompt_tokens").asInt();
			// OpenAI's automatic prefix cache; DeepSeek says prompt_cache_hit_tokens
			int cached = usage.path("prompt_tokens_details").path("cached_tokens").asInt(0);
			if (cached == 0) {
				cached = usage.path("prompt_cache_hit_tokens").asInt(0);
			}
			return new TokenUsage(input, usage.path("completion_tokens").asInt(), Math.clamp(cached, 0, input));
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
			case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
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

	/** A tool call as its streamed pieces add up. */
	private static final class StreamedCall {

		private String id;

		private String function;

		private final StringBuilder arguments = new StringBuilder();

		void add(JsonNode piece) {
			if (piece.hasNonNull("id") && !piece.get("id").asText().isEmpty()) {
				id = piece.get("id").asText();
			}
			JsonNode fn = piece.path("function");
			if (fn.hasNonNull("name") && !fn.get("name").asText().isEmpty()) {
				function = fn.get("name").asText();
			}
			if (fn.hasNonNull("arguments")) {
				arguments.append(fn.get("arguments").asText());
			}
		}

		ContentPart.ToolCall complete(String provider) {
			if (function == null) {
				throw new LlmException.ProviderUnavailable(provider, 200, "a streamed tool call named no function",
						null);
			}
			// some compatible servers give no id: make one, so the result can name it
			return new ContentPart.ToolCall(
					id == null ? "call_" + Integer.toHexString(System.identityHashCode(this)) : id, function,
					arguments.toString());
		}

	}

}
