package io.switchboard.fakes;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fake of Anthropic's Messages API in its real wire format: {@code POST /v1/messages}
 * with the {@code x-api-key} and {@code anthropic-version} headers, answering a whole
 * {@code message} or the server-sent event sequence {@code message_start},
 * {@code content_block_start}, {@code ping}, {@code content_block_delta}
 * ({@code text_delta}) ..., {@code content_block_stop}, {@code message_delta} (stop
 * reason and output tokens), {@code message_stop}. Errors carry
 * {@code {"type":"error","error":{"type","message"}}} with Anthropic's statuses (400,
 * 401, 429 with {@code retry-after}, 500, 529).
 *
 * <p>
 * Like the real API it rejects a conversation that starts with the assistant, roles that
 * do not alternate and empty text blocks, so tests show that an adapter sends only what
 * Anthropic accepts.
 */
public final class FakeAnthropic extends FakeChatServer {

	private final AtomicInteger ids = new AtomicInteger();

	private volatile String stopReason = "end_turn";

	private FakeAnthropic(String apiKey) {
		super(apiKey);
	}

	public static FakeAnthropic start(String apiKey) {
		return new FakeAnthropic(apiKey);
	}

	/**
	 * {@code http://127.0.0.1:<port>/v1/}, the form of Anthropic's base URL
	 * ({@code https://api.anthropic.com/v1/}).
	 */
	@Override
	public URI baseUrl() {
		return URI.create(uri() + "/v1/");
	}

	/** Ends later answers with this {@code stop_reason} (e.g. {@code max_tokens}). */
	public FakeAnthropic stopReason(String stopReason) {
		this.stopReason = stopReason;
		return this;
	}

	/** {@code system}, a string or a list of text blocks. */
	@Override
	public String systemPrompt(JsonNode request) {
		return text(request.path("system"));
	}

	@Override
	public Integer maxTokens(JsonNode request) {
		return request.path("max_tokens").isNumber() ? request.get("max_tokens").asInt() : null;
	}

	@Override
	public Double temperature(JsonNode request) {
		return request.path("temperature").isNumber() ? request.get("temperature").asDouble() : null;
	}

	/** {@code image} blocks with a {@code base64} source. */
	@Override
	public List<Image> images(JsonNode request) {
		List<Image> images = new ArrayList<>();
		request.path("messages").forEach(message -> message.path("content").forEach(block -> {
			JsonNode source = block.path("source");
			if ("image".equals(block.path("type").asText()) && "base64".equals(source.path("type").asText())) {
				images.add(new Image(source.path("media_type").asText(),
						Base64.getDecoder().decode(source.path("data").asText())));
			}
		}));
		return images;
	}

	@Override
	protected Reply answer(RecordedRequest request) {
		if (apiKey() != null && !apiKey().equals(request.header("x-api-key"))) {
			return failure(Failure.UNAUTHORIZED, request, 0);
		}
		if (!("POST".equals(request.method()) && "/v1/messages".equals(request.path()))) {
			return error(404, "not_found_error", "Not Found");
		}
		if (request.header("anthropic-version") == null) {
			return error(400, "invalid_request_error", "anthropic-version: header is required");
		}
		JsonNode body = request.json();
		String invalid = invalid(body);
		if (invalid != null) {
			return error(400, "invalid_request_error", invalid);
		}
		ToolCall call = toolCallForThisAnswer();
		if (call != null) {
			return toolUse(body, call);
		}
		return message(request, body, answerText(lastUserText(body)), stopReason);
	}

	/**
	 * Asks for a tool as Anthropic does: a {@code tool_use} block, its input streamed as
	 * {@code input_json_delta}s, and {@code stop_reason} {@code tool_use}.
	 */
	private Reply toolUse(JsonNode body, ToolCall call) {
		String model = body.get("model").asText();
		String id = "msg_fake" + ids.incrementAndGet();
		String toolId = "toolu_fake" + ids.incrementAndGet();
		Usage usage = usage(promptText(body), call.arguments());
		if (!body.path("stream").asBoolean(false)) {
			ObjectNode message = Json.object()
				.put("id", id)
				.put("type", "message")
				.put("role", "assistant")
				.put("model", model);
			message.putArray("content")
				.addObject()
				.put("type", "tool_use")
				.put("id", toolId)
				.put("name", call.name())
				.set("input", Json.read(call.arguments()));
			message.put("stop_reason", "tool_use").putNull("stop_sequence");
			message.putObject("usage").put("input_tokens", usage.input()).put("output_tokens", usage.output());
			return Reply.json(200, Json.write(message));
		}
		ObjectNode start = Json.object().put("type", "message_start");
		ObjectNode message = start.putObject("message")
			.put("id", id)
			.put("type", "message")
			.put("role", "assistant")
			.put("model", model);
		message.putArray("content");
		message.putNull("stop_reason").putNull("stop_sequence");
		message.putObject("usage").put("input_tokens", usage.input()).put("output_tokens", 1);
		ObjectNode blockStart = Json.object().put("type", "content_block_start").put("index", 0);
		blockStart.putObject("content_block")
			.put("type", "tool_use")
			.put("id", toolId)
			.put("name", call.name())
			.putObject("input");
		List<String> events = new ArrayList<>();
		events.add(event("message_start", start));
		events.add(event("content_block_start", blockStart));
		String args = call.arguments();
		int half = args.length() / 2;
		for (String piece : List.of(args.substring(0, half), args.substring(half))) {
			ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", 0);
			delta.putObject("delta").put("type", "input_json_delta").put("partial_json", piece);
			events.add(event("content_block_delta", delta));
		}
		events.add(event("content_block_stop", Json.object().put("type", "content_block_stop").put("index", 0)));
		ObjectNode messageDelta = Json.object().put("type", "message_delta");
		messageDelta.putObject("delta").put("stop_reason", "tool_use").putNull("stop_sequence");
		messageDelta.putObject("usage").put("output_tokens", usage.output());
		events.add(event("message_delta", messageDelta));
		events.add(event("message_stop", Json.object().put("type", "message_stop")));
		return stream(events, List.of(), List.of(), List.of());
	}

	@Override
	public List<String> toolNames(JsonNode request) {
		List<String> names = new ArrayList<>();
		request.path("tools").forEach(tool -> names.add(tool.path("name").asText()));
		return names;
	}

	@Override
	public List<ToolResult> toolResults(JsonNode request) {
		java.util.Map<String, String> names = new java.util.HashMap<>();
		List<ToolResult> results = new ArrayList<>();
		request.path("messages").forEach(message -> message.path("content").forEach(block -> {
			if ("tool_use".equals(block.path("type").asText())) {
				names.put(block.path("id").asText(), block.path("name").asText());
			}
			if ("tool_result".equals(block.path("type").asText())) {
				JsonNode content = block.path("content");
				String text = content.isTextual() ? content.asText() : content.path(0).path("text").asText();
				String id = block.path("tool_use_id").asText();
				results.add(new ToolResult(id, names.get(id), text));
			}
		}));
		return results;
	}

	/** What the real API says about a malformed request, or {@code null}. */
	private static String invalid(JsonNode body) {
		if (!body.hasNonNull("model")) {
			return "model: Field required";
		}
		if (!body.hasNonNull("max_tokens")) {
			return "max_tokens: Field required";
		}
		JsonNode messages = body.path("messages");
		if (!messages.isArray() || messages.isEmpty()) {
			return "messages: at least one message is required";
		}
		if (!"user".equals(messages.get(0).path("role").asText())) {
			return "messages: first message must use the \"user\" role";
		}
		for (int i = 0; i < messages.size(); i++) {
			JsonNode message = messages.get(i);
			String role = message.path("role").asText();
			if (i > 0 && role.equals(messages.get(i - 1).path("role").asText())) {
				return "messages: roles must alternate between \"user\" and \"assistant\", but found multiple \"" + role
						+ "\" roles in a row";
			}
			JsonNode content = message.path("content");
			if (content.isTextual() ? content.asText().isEmpty() : content.isEmpty()) {
				return "messages." + i + ": all messages must have non-empty content";
			}
			for (JsonNode block : content.isArray() ? content : Json.array()) {
				if ("text".equals(block.path("type").asText()) && block.path("text").asText().isEmpty()) {
					return "messages: text content blocks must be non-empty";
				}
			}
		}
		return null;
	}

	/**
	 * Anthropic's usage: {@code input_tokens} counts only what follows the last cache
	 * breakpoint; what was read from the cache is {@code cache_read_input_tokens}.
	 */
	private static ObjectNode usageJson(Usage usage) {
		return Json.object()
			.put("input_tokens", usage.input() - usage.cached())
			.put("cache_creation_input_tokens", 0)
			.put("cache_read_input_tokens", usage.cached());
	}

	private Reply message(RecordedRequest request, JsonNode body, String answer, String stop) {
		String model = body.get("model").asText();
		Usage usage = usage(promptText(body), answer);
		String id = "msg_fake" + ids.incrementAndGet();
		if (!body.path("stream").asBoolean(false)) {
			ObjectNode message = Json.object()
				.put("id", id)
				.put("type", "message")
				.put("role", "assistant")
				.put("model", model);
			message.putArray("content").addObject().put("type", "text").put("text", answer);
			message.put("stop_reason", stop).putNull("stop_sequence");
			message.set("usage", usageJson(usage).put("output_tokens", usage.output()));
			return Reply.json(200, Json.write(message))
				.withHeader("request-id", "req_fake" + id)
				.withFirstByteDelay(firstByteDelay());
		}
		ObjectNode start = Json.object().put("type", "message_start");
		ObjectNode message = start.putObject("message")
			.put("id", id)
			.put("type", "message")
			.put("role", "assistant")
			.put("model", model);
		message.putArray("content");
		message.putNull("stop_reason").putNull("stop_sequence");
		message.set("usage", usageJson(usage).put("output_tokens", 1));
		ObjectNode blockStart = Json.object().put("type", "content_block_start").put("index", 0);
		blockStart.putObject("content_block").put("type", "text").put("text", "");
		List<String> opening = List.of(event("message_start", start), event("content_block_start", blockStart),
				event("ping", Json.object().put("type", "ping")));
		List<String> pieces = answerPieces(answer).stream().map(piece -> {
			ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", 0);
			delta.putObject("delta").put("type", "text_delta").put("text", piece);
			return event("content_block_delta", delta);
		}).toList();
		ObjectNode messageDelta = Json.object().put("type", "message_delta");
		messageDelta.putObject("delta").put("stop_reason", stop).putNull("stop_sequence");
		messageDelta.putObject("usage").put("output_tokens", usage.output());
		List<String> closing = new ArrayList<>();
		closing.add(event("content_block_stop", Json.object().put("type", "content_block_stop").put("index", 0)));
		closing.add(event("message_delta", messageDelta));
		closing.add(event("message_stop", Json.object().put("type", "message_stop")));
		return stream(opening, pieces, closing, List.of(errorEvent("overloaded_error", "Overloaded")));
	}

	@Override
	protected Reply failure(Failure failure, RecordedRequest request, long retryAfterSeconds) {
		return switch (failure) {
			case RATE_LIMITED -> error(429, "rate_limit_error",
					"This request would exceed the rate limit for your organization of 50,000 input tokens per "
							+ "minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.")
				.withHeader("retry-after", Long.toString(retryAfterSeconds))
				.withHeader("anthropic-ratelimit-input-tokens-remaining", "0");
			case SERVER_ERROR -> error(500, "api_error", "Internal server error");
			case OVERLOADED -> error(529, "overloaded_error", "Overloaded");
			case UNAUTHORIZED -> error(401, "authentication_error", "invalid x-api-key");
			case CONTEXT_TOO_LONG ->
				error(400, "invalid_request_error", "prompt is too long: 208656 tokens > 200000 maximum");
			// Claude's classifiers stop an answer: a 200 with stop_reason refusal
			case CONTENT_FILTERED -> {
				JsonNode body = request.json();
				yield message(request, body, "I can", "refusal");
			}
		};
	}

	private static Reply.Whole error(int status, String type, String message) {
		return Reply.json(status, errorJson(type, message)).withHeader("request-id", "req_fake_error");
	}

	private static String errorJson(String type, String message) {
		ObjectNode error = Json.object().put("type", "error");
		error.putObject("error").put("type", type).put("message", message);
		error.put("request_id", "req_fake_error");
		return Json.write(error);
	}

	private static String errorEvent(String type, String message) {
		return "event: error\ndata: " + errorJson(type, message) + "\n\n";
	}

	private static String lastUserText(JsonNode body) {
		JsonNode messages = body.path("messages");
		for (int i = messages.size() - 1; i >= 0; i--) {
			if ("user".equals(messages.get(i).path("role").asText())) {
				return text(messages.get(i).path("content"));
			}
		}
		return "";
	}

	private static String promptText(JsonNode body) {
		StringBuilder text = new StringBuilder(text(body.path("system"))).append(' ');
		body.path("messages").forEach(message -> text.append(text(message.path("content"))).append(' '));
		return text.toString();
	}

	private static String text(JsonNode content) {
		if (content.isTextual()) {
			return content.asText();
		}
		StringBuilder text = new StringBuilder();
		content.forEach(block -> {
			if ("text".equals(block.path("type").asText())) {
				text.append(block.path("text").asText());
			}
		});
		return text.toString();
	}

}
