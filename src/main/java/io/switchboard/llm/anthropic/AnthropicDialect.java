package io.switchboard.llm.anthropic;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.model.anthropic.AnthropicChatResponseMetadata;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.anthropic.internal.api.AnthropicStreamingException;
import dev.langchain4j.model.chat.response.ChatResponse;

import io.switchboard.llm.FinishReason;
import io.switchboard.llm.LlmException;
import io.switchboard.llm.internal.Failures;
import io.switchboard.llm.internal.Vendor;

/**
 * How Anthropic's Messages API reports trouble: error answers
 * {@code {"type":"error","error":{"type","message"}}} with the statuses 400, 401, 403,
 * 404, 413, 429 (with {@code retry-after}), 500 and 529 (overloaded), the same error as
 * an {@code error} event inside a stream, and a {@code refusal} stop reason when its
 * safety classifiers stop an answer.
 */
final class AnthropicDialect implements Vendor {

	/**
	 * "prompt is too long: 208656 tokens > 200000 maximum", "input length and
	 * `max_tokens` exceed context limit: ...".
	 */
	private static final Pattern CONTEXT_TOO_LONG = Pattern.compile(
			"prompt is too long|exceed(s|ed)? (the )?context|context (limit|window|length)", Pattern.CASE_INSENSITIVE);

	/** "Output blocked by content filtering policy". */
	private static final Pattern CONTENT_FILTER = Pattern.compile("content filtering", Pattern.CASE_INSENSITIVE);

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Failures failures;

	AnthropicDialect(Failures failures) {
		this.failures = failures;
	}

	@Override
	public LlmException httpError(int status, String body, long retryAfterSeconds) {
		JsonNode error = read(body).path("error");
		return classify(status, error.path("type").asText(""), error.path("message").asText("HTTP " + status),
				retryAfterSeconds);
	}

	@Override
	public Optional<LlmException> otherError(Throwable failure) {
		if (failure instanceof AnthropicStreamingException streamError) {
			return Optional
				.of(classify(0, streamError.type() == null ? "" : streamError.type(), streamError.getMessage(), 0));
		}
		return Optional.empty();
	}

	private LlmException classify(int status, String type, String message, long retryAfterSeconds) {
		return switch (type) {
			case "rate_limit_error" -> failures.rateLimited(message, retryAfterSeconds);
			case "authentication_error", "permission_error" -> failures.authenticationFailed(status, message);
			case "overloaded_error" -> failures.unavailable(status == 0 ? 529 : status, message, null);
			case "api_error" -> failures.unavailable(status == 0 ? 500 : status, message, null);
			case "timeout_error" -> failures.timeout(message, null);
			case "request_too_large" -> failures.contextLengthExceeded(message);
			default -> byStatus(status, message, retryAfterSeconds);
		};
	}

	private LlmException byStatus(int status, String message, long retryAfterSeconds) {
		if (status == 429) {
			return failures.rateLimited(message, retryAfterSeconds);
		}
		if (status == 401 || status == 403) {
			return failures.authenticationFailed(status, message);
		}
		if (CONTEXT_TOO_LONG.matcher(message).find() || status == 413) {
			return failures.contextLengthExceeded(message);
		}
		if (CONTENT_FILTER.matcher(message).find()) {
			return failures.contentFiltered(status, message);
		}
		if (status == 408) {
			return failures.timeout(message, null);
		}
		if (status >= 400 && status < 500) {
			return failures.invalidRequest(status, message);
		}
		return failures.unavailable(status, message, null);
	}

	/**
	 * LangChain4j reads {@code refusal} (and newer stop reasons) as OTHER, so the raw
	 * answer is consulted.
	 */
	@Override
	public FinishReason finishReason(ChatResponse answer) {
		String stopReason = answer.metadata() instanceof AnthropicChatResponseMetadata metadata
				? rawStopReason(metadata) : null;
		if (stopReason == null) {
			return Vendor.super.finishReason(answer);
		}
		return switch (stopReason) {
			case "end_turn", "stop_sequence" -> FinishReason.STOP;
			case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
			case "refusal" -> FinishReason.CONTENT_FILTER;
			default -> FinishReason.OTHER;
		};
	}

	/**
	 * Anthropic's {@code input_tokens} counts only what follows the last cache
	 * breakpoint: the tokens written to and read from the cache come on top.
	 */
	@Override
	public ReportedInput input(dev.langchain4j.model.output.TokenUsage usage) {
		if (usage instanceof AnthropicTokenUsage anthropic && anthropic.inputTokenCount() != null) {
			int read = anthropic.cacheReadInputTokens() == null ? 0 : anthropic.cacheReadInputTokens();
			int written = anthropic.cacheCreationInputTokens() == null ? 0 : anthropic.cacheCreationInputTokens();
			return new ReportedInput(anthropic.inputTokenCount() + read + written, read);
		}
		return Vendor.super.input(usage);
	}

	/** Anthropic caches only what a request marks. */
	@Override
	public boolean marksCacheBreakpoints() {
		return true;
	}

	private static String rawStopReason(AnthropicChatResponseMetadata metadata) {
		if (metadata.rawHttpResponse() != null && metadata.rawHttpResponse().body() != null) {
			return text(read(metadata.rawHttpResponse().body()).path("stop_reason"));
		}
		String stopReason = null;
		for (ServerSentEvent event : metadata.rawServerSentEvents()) {
			if ("message_delta".equals(event.event())) {
				String reason = text(read(event.data()).path("delta").path("stop_reason"));
				stopReason = reason != null ? reason : stopReason;
			}
		}
		return stopReason;
	}

	private static String text(JsonNode node) {
		return node.isTextual() ? node.asText() : null;
	}

	private static JsonNode read(String json) {
		try {
			return json == null || json.isBlank() ? JSON.createObjectNode() : JSON.readTree(json);
		}
		catch (IOException notJson) {
			// e.g. a proxy's HTML error page: the status decides
			return JSON.createObjectNode();
		}
	}

}
