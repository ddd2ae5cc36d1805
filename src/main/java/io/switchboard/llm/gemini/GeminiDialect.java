package io.switchboard.llm.gemini;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.model.googleai.GoogleAiGeminiTokenUsage;

import io.switchboard.llm.LlmException;
import io.switchboard.llm.internal.Failures;
import io.switchboard.llm.internal.Vendor;

/**
 * How Google's Gemini API reports trouble: error answers
 * {@code {"error":{"code","message","status","details"}}} with gRPC status names (a 429
 * {@code RESOURCE_EXHAUSTED} says how long to wait in a {@code RetryInfo} detail, not a
 * header; a wrong key is a 400 {@code INVALID_ARGUMENT} with reason
 * {@code API_KEY_INVALID}), and two kinds of trouble inside a 200 answer: a blocked
 * prompt ({@code promptFeedback.blockReason} and no candidates) and an error object in a
 * stream.
 */
final class GeminiDialect implements Vendor {

	/** "The input token count (1200293) exceeds the maximum number of tokens allowed". */
	private static final Pattern CONTEXT_TOO_LONG = Pattern.compile(
			"token count .*exceeds|exceeds the maximum number of tokens|context (window|length)",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)s");

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Failures failures;

	GeminiDialect(Failures failures) {
		this.failures = failures;
	}

	@Override
	public LlmException httpError(int status, String body, long retryAfterSeconds) {
		JsonNode root = read(body);
		JsonNode error = (root.isArray() ? root.path(0) : root).path("error");
		String grpcStatus = error.path("status").asText("");
		String message = error.path("message").asText("HTTP " + status);
		if (status == 0) {
			status = error.path("code").asInt(0);
		}
		if (status == 429 || "RESOURCE_EXHAUSTED".equals(grpcStatus)) {
			return failures.rateLimited(message, Math.max(retryAfterSeconds, retryDelay(error)));
		}
		if (status == 401 || status == 403 || "UNAUTHENTICATED".equals(grpcStatus)
				|| "PERMISSION_DENIED".equals(grpcStatus) || hasReason(error, "API_KEY_INVALID")) {
			return failures.authenticationFailed(status, message);
		}
		if (CONTEXT_TOO_LONG.matcher(message).find()) {
			return failures.contextLengthExceeded(message);
		}
		if (status == 408 || status == 504 || "DEADLINE_EXCEEDED".equals(grpcStatus)) {
			return failures.timeout(message, null);
		}
		if (status >= 400 && status < 500) {
			return failures.invalidRequest(status, message);
		}
		return failures.unavailable(status, message, null);
	}

	/**
	 * Turns a 200 answer, or one streamed event, into a failure when it carries an error
	 * object or a blocked prompt; LangChain4j would read either as an empty answer.
	 */
	Optional<RuntimeException> rejectAnswer(String body) {
		if (body == null || !(body.contains("\"error\"") || body.contains("\"blockReason\""))) {
			return Optional.empty(); // the common case, without parsing
		}
		JsonNode answer = read(body);
		if (answer.path("error").isObject()) {
			return Optional.of(httpError(0, body, 0));
		}
		String blockReason = answer.path("promptFeedback").path("blockReason").asText("");
		if (!blockReason.isEmpty() && answer.path("candidates").isEmpty()) {
			return Optional.of(failures.contentFiltered(200, "Gemini blocked the prompt: " + blockReason));
		}
		return Optional.empty();
	}

	/** The wait a {@code google.rpc.RetryInfo} detail asks for, e.g. "38s". */
	private static long retryDelay(JsonNode error) {
		for (JsonNode detail : error.path("details")) {
			if (detail.path("@type").asText("").endsWith("google.rpc.RetryInfo")) {
				var delay = DURATION.matcher(detail.path("retryDelay").asText(""));
				if (delay.matches()) {
					return (long) Math.ceil(Double.parseDouble(delay.group(1)));
				}
			}
		}
		return 0;
	}

	private static boolean hasReason(JsonNode error, String reason) {
		for (JsonNode detail : error.path("details")) {
			if (reason.equals(detail.path("reason").asText())) {
				return true;
			}
		}
		return false;
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

	/**
	 * Gemini's {@code promptTokenCount} includes what its implicit (or explicit) cache
	 * served, reported apart as {@code cachedContentTokenCount}.
	 */
	@Override
	public ReportedInput input(dev.langchain4j.model.output.TokenUsage usage) {
		if (usage instanceof GoogleAiGeminiTokenUsage gemini && gemini.cachedContentTokenCount() != null) {
			return new ReportedInput(gemini.inputTokenCount(), gemini.cachedContentTokenCount());
		}
		return Vendor.super.input(usage);
	}

}
