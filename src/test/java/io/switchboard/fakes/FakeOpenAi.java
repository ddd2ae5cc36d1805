package io.switchboard.fakes;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fake of OpenAI's chat completions API in its real wire format:
 * {@code POST /v1/chat/completions} (whole {@code chat.completion} objects, or
 * server-sent {@code chat.completion.chunk}s ending with {@code data: [DONE]}, the usage
 * chunk only when the request asks for it with {@code stream_options.include_usage}) and
 * {@code GET /v1/models}. Errors carry OpenAI's
 * {@code {"error":{"message","type","param","code"}}} body. An image part's
 * {@code image_url.detail} is recorded as sent ({@link #imageDetails}) and, as OpenAI
 * does, refused with a 400 unless it is {@code low}, {@code high} or {@code auto}.
 *
 * <p>
 * {@code POST /v1/moderations} answers as OpenAI's moderation endpoint does (every
 * category with its boolean and score); a text holding a word told to
 * {@link #flagWhenSaid} is flagged in that word's category, anything else passes.
 *
 * <p>
 * With an API key the fake wants {@code Authorization: Bearer <key>} (or Azure's
 * {@code api-key} header) and answers 401 otherwise.
 */
public final class FakeOpenAi extends FakeChatServer {

	private static final long CREATED = 1_700_000_000L;

	private final AtomicInteger ids = new AtomicInteger();

	private volatile String finishReason = "stop";

	private volatile List<String> models = List.of("gpt-4o-mini", "gpt-4o");

	/** OpenAI's moderation categories, in its order. */
	private static final List<String> MODERATION_CATEGORIES = List.of("sexual", "sexual/minors", "harassment",
			"harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent", "self-harm",
			"self-harm/intent", "self-harm/instructions", "violence", "violence/graphic");

	/** Words that get a text flagged, lower case, with their category. */
	private final Map<String, String> flagged = new ConcurrentHashMap<>();

	private FakeOpenAi(String apiKey) {
		super(apiKey);
	}

	/** A fake that accepts any key or none. */
	public static FakeOpenAi start() {
		return new FakeOpenAi(null);
	}

	/** A fake that wants this key. */
	public static FakeOpenAi start(String apiKey) {
		return new FakeOpenAi(apiKey);
	}

	/** {@code http://127.0.0.1:<port>/v1}, the form of OpenAI's base URL. */
	@Override
	public URI baseUrl() {
		return URI.create(uri() + "/v1");
	}

	/**
	 * Ends later answers with this {@code finish_reason} (e.g. {@code length},
	 * {@code content_filter}).
	 */
	public FakeOpenAi finishReason(String finishReason) {
		this.finishReason = finishReason;
		return this;
	}

	/**
	 * Flags every later moderation input that holds {@code word} (in any case) in
	 * {@code category}, one of OpenAI's (e.g. {@code violence},
	 * {@code harassment/threatening}).
	 */
	public FakeOpenAi flagWhenSaid(String word, String category) {
		if (!MODERATION_CATEGORIES.contains(category)) {
			throw new IllegalArgumentException("OpenAI has no moderation category " + category);
		}
		flagged.put(word.toLowerCase(Locale.ROOT), category);
		return this;
	}

	/** The texts sent to {@code /v1/moderations}, in order. */
	public List<String> moderationInputs() {
		List<String> inputs = new ArrayList<>();
		for (RecordedRequest request : requests()) {
			if ("/v1/moderations".equals(request.path())) {
				inputs.addAll(moderationTexts(request.json().path("input")));
			}
		}
		return inputs;
	}

	@Override
	public void reset() {
		super.reset();
		flagged.clear();
	}

	/** The model ids {@code GET /v1/models} lists. */
	public FakeOpenAi models(String... ids) {
		this.models = List.of(ids);
		return this;
	}

	/** System (and {@code developer}) messages' text. */
	@Override
	public String systemPrompt(JsonNode request) {
		StringBuilder text = new StringBuilder();
		request.path("messages").forEach(message -> {
			String role = message.path("role").asText();
			if (role.equals("system") || role.equals("developer")) {
				text.append(text(message.path("content")));
			}
		});
		return text.toString();
	}

	/** {@code max_tokens}, or the newer {@code max_completion_tokens}. */
	@Override
	public Integer maxTokens(JsonNode request) {
		JsonNode max = request.hasNonNull("max_tokens") ? request.get("max_tokens")
				: request.path("max_completion_tokens");
		return max.isNumber() ? max.asInt() : null;
	}

	@Override
	public Double temperature(JsonNode request) {
		return request.path("temperature").isNumber() ? request.get("temperature").asDouble() : null;
	}

	/** {@code image_url} parts holding a {@code data:} URL. */
	@Override
	public List<Image> images(JsonNode request) {
		List<Image> images = new ArrayList<>();
		for (String url : imageUrls(request)) {
			int comma = url.indexOf(',');
			if (url.startsWith("data:") && comma > 0 && url.substring(0, comma).endsWith(";base64")) {
				images.add(new Image(url.substring("data:".length(), url.indexOf(';')),
						Base64.getDecoder().decode(url.substring(comma + 1))));
			}
		}
		return images;
	}

	/**
	 * Every {@code image_url} part's {@code detail} as sent, in order; {@code null} for a
	 * part sent without one (OpenAI then takes {@code auto}).
	 */
	public List<String> imageDetails(JsonNode request) {
		List<String> details = new ArrayList<>();
		request.path("messages").forEach(message -> message.path("content").forEach(part -> {
			if ("image_url".equals(part.path("type").asText())) {
				JsonNode detail = part.path("image_url").path("detail");
				details.add(detail.isMissingNode() || detail.isNull() ? null : detail.asText());
			}
		}));
		return details;
	}

	/** Every {@code image_url} part's URL, data URLs and remote ones alike. */
	public List<String> imageUrls(JsonNode request) {
		List<String> urls = new ArrayList<>();
		request.path("messages").forEach(message -> message.path("content").forEach(part -> {
			if ("image_url".equals(part.path("type").asText())) {
				urls.add(part.path("image_url").path("url").asText());
			}
		}));
		return urls;
	}

	@Override
	protected Reply answer(RecordedRequest request) {
		if (!authorized(request)) {
			return failure(Failure.UNAUTHORIZED, request, 0);
		}
		if ("POST".equals(request.method()) && "/v1/chat/completions".equals(request.path())) {
			return completion(request);
		}
		if ("POST".equals(request.method()) && "/v1/moderations".equals(request.path())) {
			return moderation(request);
		}
		if ("GET".equals(request.method()) && "/v1/models".equals(request.path())) {
			ObjectNode list = Json.object().put("object", "list");
			for (String id : models) {
				list.withArray("data")
					.addObject()
					.put("id", id)
					.put("object", "model")
					.put("created", CREATED)
					.put("owned_by", "system");
			}
			return Reply.json(200, Json.write(list));
		}
		return error(404, "Invalid URL (" + request.method() + " " + request.path() + ")", "invalid_request_error",
				null, null);
	}

	private boolean authorized(RecordedRequest request) {
		String key = apiKey();
		return key == null || ("Bearer " + key).equals(request.header("Authorization"))
				|| key.equals(request.header("api-key"));
	}

	private Reply completion(RecordedRequest request) {
		JsonNode body = request.json();
		if (!body.hasNonNull("model")) {
			return error(400, "you must provide a model parameter", "invalid_request_error", null, null);
		}
		if (!body.path("messages").isArray() || body.path("messages").isEmpty()) {
			return error(400, "'messages' must contain at least one message", "invalid_request_error", "messages",
					null);
		}
		String badDetail = imageDetails(body).stream()
			.filter(detail -> detail != null && !List.of("low", "high", "auto").contains(detail))
			.findFirst()
			.orElse(null);
		if (badDetail != null) {
			return error(400, "Invalid value: '" + badDetail + "'. Supported values are: 'low', 'high', and 'auto'.",
					"invalid_request_error", "messages.[0].content.[0].image_url.detail", "invalid_value");
		}
		String model = body.get("model").asText();
		String answer = answerText(lastUserText(body));
		Usage usage = usage(promptText(body), answer);
		String id = "chatcmpl-fake" + ids.incrementAndGet();
		if (!body.path("stream").asBoolean(false)) {
			ObjectNode completion = Json.object()
				.put("id", id)
				.put("object", "chat.completion")
				.put("created", CREATED)
				.put("model", model);
			ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
			choice.putObject("message").put("role", "assistant").put("content", answer).putNull("refusal");
			choice.putNull("logprobs");
			choice.put("finish_reason", finishReason);
			completion.set("usage", usageJson(usage));
			completion.put("system_fingerprint", "fp_fake");
			return Reply.json(200, Json.write(completion)).withFirstByteDelay(firstByteDelay());
		}
		List<String> opening = List
			.of(chunk(id, model, Json.object().put("role", "assistant").put("content", ""), null));
		List<String> pieces = answerPieces(answer).stream()
			.map(piece -> chunk(id, model, Json.object().put("content", piece), null))
			.toList();
		List<String> closing = new ArrayList<>();
		closing.add(chunk(id, model, Json.object(), finishReason));
		if (body.path("stream_options").path("include_usage").asBoolean(false)) {
			ObjectNode usageChunk = chunkHead(id, model);
			usageChunk.putArray("choices");
			usageChunk.set("usage", usageJson(usage));
			closing.add("data: " + Json.write(usageChunk) + "\n\n");
		}
		closing.add("data: [DONE]\n\n");
		ObjectNode error = Json.object();
		error.putObject("error")
			.put("message", "The server had an error while processing your request. Sorry about that!")
			.put("type", "server_error")
			.putNull("param")
			.putNull("code");
		return stream(opening, pieces, closing, List.of("data: " + Json.write(error) + "\n\n"));
	}

	/**
	 * OpenAI's moderation answer: one result per input (a string, an array of strings, or
	 * of {@code {"type":"text"}} parts), each with every category.
	 */
	private Reply moderation(RecordedRequest request) {
		JsonNode body = request.json();
		JsonNode input = body.path("input");
		if (input.isMissingNode() || input.isNull()) {
			return error(400, "Missing required parameter: 'input'.", "invalid_request_error", "input",
					"missing_required_parameter");
		}
		ObjectNode answer = Json.object()
			.put("id", "modr-fake" + ids.incrementAndGet())
			.put("model", body.path("model").asText("omni-moderation-latest"));
		var results = answer.putArray("results");
		for (String text : input.isArray() && !input.path(0).isObject() ? moderationTexts(input)
				: List.of(String.join(" ", moderationTexts(input)))) {
			String lower = text.toLowerCase(Locale.ROOT);
			List<String> hits = flagged.entrySet()
				.stream()
				.filter(word -> lower.contains(word.getKey()))
				.map(Map.Entry::getValue)
				.toList();
			ObjectNode result = results.addObject().put("flagged", !hits.isEmpty());
			ObjectNode categories = result.putObject("categories");
			ObjectNode scores = result.putObject("category_scores");
			ObjectNode applied = result.putObject("category_applied_input_types");
			for (String category : MODERATION_CATEGORIES) {
				boolean hit = hits.contains(category);
				categories.put(category, hit);
				scores.put(category, hit ? 0.91 : 0.0001);
				applied.putArray(category).add("text");
			}
		}
		return Reply.json(200, Json.write(answer));
	}

	private static List<String> moderationTexts(JsonNode input) {
		if (input.isTextual()) {
			return List.of(input.asText());
		}
		List<String> texts = new ArrayList<>();
		input.forEach(item -> texts.add(item.isTextual() ? item.asText() : item.path("text").asText("")));
		return texts;
	}

	private static String chunk(String id, String model, ObjectNode delta, String finishReason) {
		ObjectNode chunk = chunkHead(id, model);
		ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
		choice.set("delta", delta);
		choice.putNull("logprobs");
		if (finishReason == null) {
			choice.putNull("finish_reason");
		}
		else {
			choice.put("finish_reason", finishReason);
		}
		// OpenAI pads chunks with fields clients must ignore
		chunk.put("obfuscation", "fake");
		return "data: " + Json.write(chunk) + "\n\n";
	}

	private static ObjectNode chunkHead(String id, String model) {
		return Json.object()
			.put("id", id)
			.put("object", "chat.completion.chunk")
			.put("created", CREATED)
			.put("model", model)
			.put("system_fingerprint", "fp_fake");
	}

	private static ObjectNode usageJson(Usage usage) {
		return Json.object()
			.put("prompt_tokens", usage.input())
			.put("completion_tokens", usage.output())
			.put("total_tokens", usage.input() + usage.output());
	}

	@Override
	protected Reply failure(Failure failure, RecordedRequest request, long retryAfterSeconds) {
		return switch (failure) {
			case RATE_LIMITED -> error(429,
					"Rate limit reached for gpt-4o-mini in organization org-fake on tokens per min (TPM): "
							+ "Limit 30000, Used 30000, Requested 120. Please try again in " + retryAfterSeconds + "s.",
					"tokens", null, "rate_limit_exceeded")
				.withHeader("retry-after", Long.toString(retryAfterSeconds))
				.withHeader("x-ratelimit-remaining-tokens", "0");
			case SERVER_ERROR -> error(500, "The server had an error while processing your request. Sorry about that!",
					"server_error", null, null);
			case OVERLOADED ->
				error(503, "The engine is currently overloaded, please try again later.", "server_error", null, null);
			case UNAUTHORIZED -> error(401,
					"Incorrect API key provided: " + masked(request)
							+ ". You can find your API key at https://platform.openai.com/account/api-keys.",
					"invalid_request_error", null, "invalid_api_key");
			case CONTEXT_TOO_LONG -> error(400,
					"This model's maximum context length is 128000 tokens. However, your messages resulted in "
							+ "130512 tokens. Please reduce the length of the messages.",
					"invalid_request_error", "messages", "context_length_exceeded");
			// Azure's content filter, as OpenAI-compatible servers report it
			case CONTENT_FILTERED -> error(400,
					"The response was filtered due to the prompt triggering Azure OpenAI's content management policy. "
							+ "Please modify your prompt and retry.",
					null, "prompt", "content_filter");
		};
	}

	/** Like OpenAI, shows only the ends of a wrong key. */
	private static String masked(RecordedRequest request) {
		String auth = request.header("Authorization");
		String key = auth == null ? "" : auth.replaceFirst("^Bearer ", "");
		return key.length() < 8 ? "***" : key.substring(0, 3) + "*".repeat(8) + key.substring(key.length() - 4);
	}

	private static Reply.Whole error(int status, String message, String type, String param, String code) {
		ObjectNode error = Json.object();
		ObjectNode inner = error.putObject("error").put("message", message);
		inner.put("type", type);
		inner.put("param", param);
		inner.put("code", code);
		return Reply.json(status, Json.write(error));
	}

	static String lastUserText(JsonNode body) {
		JsonNode messages = body.path("messages");
		for (int i = messages.size() - 1; i >= 0; i--) {
			if ("user".equals(messages.get(i).path("role").asText())) {
				return text(messages.get(i).path("content"));
			}
		}
		return "";
	}

	private static String promptText(JsonNode body) {
		StringBuilder text = new StringBuilder();
		body.path("messages").forEach(message -> text.append(text(message.path("content"))).append(' '));
		return text.toString();
	}

	private static String text(JsonNode content) {
		if (content.isTextual()) {
			return content.asText();
		}
		StringBuilder text = new StringBuilder();
		content.forEach(part -> {
			if ("text".equals(part.path("type").asText())) {
				text.append(part.path("text").asText());
			}
		});
		return text.toString();
	}

}
