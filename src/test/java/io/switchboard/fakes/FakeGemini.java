package io.switchboard.fakes;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fake of Google's Gemini API in its real wire format: {@code POST
 * /v1beta/models/{model}:generateContent} and {@code :streamGenerateContent?alt=sse}
 * (server-sent {@code GenerateContentResponse}s), answers with
 * {@code candidates[].content.parts[].text}, {@code finishReason} and
 * {@code usageMetadata}, and {@code GET /v1beta/models}. Errors carry
 * {@code {"error":{"code","message","status"}}}.
 *
 * <p>
 * The key is taken from the {@code x-goog-api-key} header (what LangChain4j sends) or the
 * {@code key} query parameter. Like the real API, a wrong key is a 400
 * {@code INVALID_ARGUMENT} with reason {@code API_KEY_INVALID}, a missing one a 403
 * {@code PERMISSION_DENIED}.
 */
public final class FakeGemini extends FakeChatServer {

	private static final Pattern GENERATE = Pattern
		.compile("/v1beta/models/([^/:]+):(generateContent|streamGenerateContent)");

	private final AtomicInteger ids = new AtomicInteger();

	private volatile String finishReason = "STOP";

	private FakeGemini(String apiKey) {
		super(apiKey);
	}

	public static FakeGemini start(String apiKey) {
		return new FakeGemini(apiKey);
	}

	/**
	 * {@code http://127.0.0.1:<port>/v1beta}, the form of Gemini's base URL
	 * ({@code https://generativelanguage.googleapis.com/v1beta}).
	 */
	@Override
	public URI baseUrl() {
		return URI.create(uri() + "/v1beta");
	}

	/**
	 * Ends later answers with this {@code finishReason} (e.g. {@code MAX_TOKENS},
	 * {@code SAFETY}); with an empty reply the candidate then has no content, as when
	 * Gemini's safety filter withholds the answer.
	 */
	public FakeGemini finishReason(String finishReason) {
		this.finishReason = finishReason;
		return this;
	}

	/** {@code systemInstruction.parts[].text}. */
	@Override
	public String systemPrompt(JsonNode request) {
		return text(request.path("systemInstruction"));
	}

	/** {@code generationConfig.maxOutputTokens}. */
	@Override
	public Integer maxTokens(JsonNode request) {
		JsonNode max = request.path("generationConfig").path("maxOutputTokens");
		return max.isNumber() ? max.asInt() : null;
	}

	/** {@code generationConfig.temperature}. */
	@Override
	public Double temperature(JsonNode request) {
		JsonNode temperature = request.path("generationConfig").path("temperature");
		return temperature.isNumber() ? temperature.asDouble() : null;
	}

	/** {@code inlineData} parts. */
	@Override
	public List<Image> images(JsonNode request) {
		List<Image> images = new ArrayList<>();
		request.path("contents").forEach(content -> content.path("parts").forEach(part -> {
			JsonNode inline = part.path("inlineData");
			if (inline.isObject()) {
				images.add(new Image(inline.path("mimeType").asText(),
						Base64.getDecoder().decode(inline.path("data").asText())));
			}
		}));
		return images;
	}

	@Override
	protected Reply answer(RecordedRequest request) {
		String key = request.header("x-goog-api-key") != null ? request.header("x-goog-api-key")
				: request.queryParam("key");
		if (apiKey() != null && key == null) {
			return error(403, "PERMISSION_DENIED",
					"Method doesn't allow unregistered callers (callers without established identity). "
							+ "Please use API Key or other form of API consumer identity to call this API.");
		}
		if (apiKey() != null && !apiKey().equals(key)) {
			ObjectNode error = errorJson(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
			((ObjectNode) error.get("error")).putArray("details")
				.addObject()
				.put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
				.put("reason", "API_KEY_INVALID")
				.put("domain", "googleapis.com")
				.putObject("metadata")
				.put("service", "generativelanguage.googleapis.com");
			return Reply.json(400, Json.write(error));
		}
		if ("GET".equals(request.method()) && "/v1beta/models".equals(request.path())) {
			ObjectNode models = Json.object();
			models.putArray("models")
				.addObject()
				.put("name", "models/gemini-2.5-flash")
				.put("displayName", "Gemini 2.5 Flash")
				.putArray("supportedGenerationMethods")
				.add("generateContent")
				.add("countTokens");
			return Reply.json(200, Json.write(models));
		}
		Matcher generate = GENERATE.matcher(request.path());
		if (!"POST".equals(request.method()) || !generate.matches()) {
			return error(404, "NOT_FOUND", "The requested URL " + request.path() + " was not found on this server.");
		}
		JsonNode body = request.json();
		String invalid = invalid(body);
		if (invalid != null) {
			return error(400, "INVALID_ARGUMENT", invalid);
		}
		String model = generate.group(1);
		ToolCall call = toolCallForThisAnswer();
		if (call != null) {
			// Gemini asks for a tool with a functionCall part and ends with STOP
			ObjectNode response = Json.object();
			ObjectNode candidate = response.putArray("candidates").addObject();
			ObjectNode content = candidate.putObject("content");
			content.putArray("parts")
				.addObject()
				.putObject("functionCall")
				.put("name", call.name())
				.set("args", Json.read(call.arguments()));
			content.put("role", "model");
			candidate.put("finishReason", "STOP").put("index", 0);
			response.set("usageMetadata", usageJson(usage(promptText(body), call.arguments()), true));
			response.put("modelVersion", model).put("responseId", "fake-response-" + ids.incrementAndGet());
			if ("generateContent".equals(generate.group(2))) {
				return Reply.json(200, Json.write(response));
			}
			return stream(List.of(sse(response)), List.of(), List.of(), List.of());
		}
		String answer = answerText(lastUserText(body));
		Usage usage = usage(promptText(body), answer);
		String responseId = "fake-response-" + ids.incrementAndGet();
		if ("generateContent".equals(generate.group(2))) {
			ObjectNode response = Json.object();
			response.putArray("candidates").add(candidate(answer, finishReason));
			response.set("usageMetadata", usageJson(usage, true));
			response.put("modelVersion", model).put("responseId", responseId);
			return Reply.json(200, Json.write(response)).withFirstByteDelay(firstByteDelay());
		}
		if (!"sse".equals(request.queryParam("alt"))) {
			// without alt=sse Gemini streams one JSON array; nothing here asks for that
			return error(400, "INVALID_ARGUMENT", "this fake streams only with alt=sse");
		}
		List<String> pieces = answerPieces(answer).stream().map(piece -> {
			ObjectNode chunk = Json.object();
			chunk.putArray("candidates").add(candidate(piece, null));
			chunk.set("usageMetadata", usageJson(usage, false));
			chunk.put("modelVersion", model).put("responseId", responseId);
			return sse(chunk);
		}).toList();
		ObjectNode last = Json.object();
		last.putArray("candidates").add(candidate("", finishReason));
		last.set("usageMetadata", usageJson(usage, true));
		last.put("modelVersion", model).put("responseId", responseId);
		return stream(List.of(), pieces, List.of(sse(last)),
				List.of(sse(errorJson(503, "UNAVAILABLE", "The model is overloaded. Please try again later."))));
	}

	@Override
	public List<String> toolNames(JsonNode request) {
		List<String> names = new ArrayList<>();
		request.path("tools")
			.forEach(tool -> tool.path("functionDeclarations").forEach(f -> names.add(f.path("name").asText())));
		return names;
	}

	@Override
	public List<ToolResult> toolResults(JsonNode request) {
		List<ToolResult> results = new ArrayList<>();
		request.path("contents").forEach(content -> content.path("parts").forEach(part -> {
			JsonNode response = part.path("functionResponse");
			if (!response.isMissingNode()) {
				JsonNode value = response.path("response");
				String text = value.has("content") ? value.path("content").asText() : Json.write(value);
				results.add(new ToolResult(null, response.path("name").asText(), text));
			}
		}));
		return results;
	}

	private static String invalid(JsonNode body) {
		JsonNode contents = body.path("contents");
		if (!contents.isArray() || contents.isEmpty()) {
			return "* GenerateContentRequest.contents: contents is not specified";
		}
		for (JsonNode content : contents) {
			String role = content.path("role").asText("user");
			if (!role.equals("user") && !role.equals("model")) {
				return "Please use a valid role: user, model.";
			}
			if (content.path("parts").isEmpty()) {
				return "* GenerateContentRequest.contents.parts: contents.parts must not be empty.";
			}
		}
		return null;
	}

	private static ObjectNode candidate(String text, String finishReason) {
		ObjectNode candidate = Json.object();
		if (!text.isEmpty() || finishReason == null || "STOP".equals(finishReason)) {
			ObjectNode content = candidate.putObject("content");
			content.putArray("parts").addObject().put("text", text);
			content.put("role", "model");
		}
		if (finishReason != null) {
			candidate.put("finishReason", finishReason);
		}
		candidate.put("index", 0);
		return candidate;
	}

	private static ObjectNode usageJson(Usage usage, boolean complete) {
		ObjectNode json = Json.object().put("promptTokenCount", usage.input());
		if (usage.cached() > 0) {
			// Gemini's implicit cache: part of the prompt count, reported apart
			json.put("cachedContentTokenCount", usage.cached());
		}
		if (complete) {
			json.put("candidatesTokenCount", usage.output());
		}
		return json.put("totalTokenCount", usage.input() + (complete ? usage.output() : 0));
	}

	@Override
	protected Reply failure(Failure failure, RecordedRequest request, long retryAfterSeconds) {
		return switch (failure) {
			case RATE_LIMITED -> {
				ObjectNode error = errorJson(429, "RESOURCE_EXHAUSTED",
						"You exceeded your current quota, please check your plan and billing details. For more "
								+ "information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.");
				var details = ((ObjectNode) error.get("error")).putArray("details");
				details.addObject()
					.put("@type", "type.googleapis.com/google.rpc.QuotaFailure")
					.putArray("violations")
					.addObject()
					.put("quotaMetric", "generativelanguage.googleapis.com/generate_content_free_tier_requests")
					.put("quotaId", "GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
				details.addObject()
					.put("@type", "type.googleapis.com/google.rpc.RetryInfo")
					.put("retryDelay", retryAfterSeconds + "s");
				yield Reply.json(429, Json.write(error));
			}
			case SERVER_ERROR -> error(500, "INTERNAL", "An internal error has occurred. Please retry or report in "
					+ "https://developers.generativeai.google/guide/troubleshooting");
			case OVERLOADED -> error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
			case UNAUTHORIZED -> error(401, "UNAUTHENTICATED",
					"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
							+ "or other valid authentication credential.");
			case CONTEXT_TOO_LONG -> error(400, "INVALID_ARGUMENT",
					"The input token count (1200293) exceeds the maximum number of tokens allowed (1048576).");
			// a blocked prompt: a 200 answer without candidates
			case CONTENT_FILTERED -> {
				ObjectNode blocked = Json.object();
				ObjectNode feedback = blocked.putObject("promptFeedback").put("blockReason", "SAFETY");
				feedback.putArray("safetyRatings")
					.addObject()
					.put("category", "HARM_CATEGORY_DANGEROUS_CONTENT")
					.put("probability", "HIGH");
				blocked.putObject("usageMetadata").put("promptTokenCount", 9).put("totalTokenCount", 9);
				blocked.put("modelVersion", "gemini-2.5-flash");
				yield request.path().endsWith(":streamGenerateContent")
						? Reply.Stream.events(List.of(Step.send(sse(blocked)))) : Reply.json(200, Json.write(blocked));
			}
		};
	}

	private static Reply.Whole error(int status, String grpcStatus, String message) {
		return Reply.json(status, Json.write(errorJson(status, grpcStatus, message)));
	}

	private static ObjectNode errorJson(int status, String grpcStatus, String message) {
		ObjectNode error = Json.object();
		error.putObject("error").put("code", status).put("message", message).put("status", grpcStatus);
		return error;
	}

	/** Gemini separates its events with CRLF. */
	private static String sse(JsonNode data) {
		return "data: " + Json.write(data) + "\r\n\r\n";
	}

	private static String lastUserText(JsonNode body) {
		JsonNode contents = body.path("contents");
		for (int i = contents.size() - 1; i >= 0; i--) {
			if ("user".equals(contents.get(i).path("role").asText("user"))) {
				return text(contents.get(i));
			}
		}
		return "";
	}

	private static String promptText(JsonNode body) {
		StringBuilder text = new StringBuilder(text(body.path("systemInstruction"))).append(' ');
		body.path("contents").forEach(content -> text.append(text(content)).append(' '));
		return text.toString();
	}

	private static String text(JsonNode content) {
		StringBuilder text = new StringBuilder();
		content.path("parts").forEach(part -> text.append(part.path("text").asText("")));
		return text.toString();
	}

}
