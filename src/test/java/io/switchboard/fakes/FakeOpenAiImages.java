package io.switchboard.fakes;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fake of OpenAI's Images API in its real wire format:
 * {@code POST /v1/images/generations} (JSON; {@code dall-e-3} accepts only {@code n: 1};
 * GPT image models always answer base64 and refuse {@code response_format}) and
 * {@code POST /v1/images/edits} (multipart: {@code image}, optional {@code mask},
 * {@code prompt}, {@code n}, {@code size}). Answers are {@code {created,
 * data:[{b64_json}]}}; errors carry {@code {"error":{"message","type","param","code"}}}.
 * A prompt containing {@code forbidden} is refused with {@code content_policy_violation}.
 * With an API key the fake wants {@code Authorization: Bearer <key>}.
 */
public final class FakeOpenAiImages extends FakeHttpServer {

	private static final Set<String> MODELS = Set.of("gpt-image-1", "dall-e-3", "dall-e-2");

	private final String apiKey;

	private volatile Duration drawTime = Duration.ZERO;

	private long seed = 100;

	private FakeOpenAiImages(String apiKey) {
		this.apiKey = apiKey;
	}

	public static FakeOpenAiImages start(String apiKey) {
		return new FakeOpenAiImages(apiKey);
	}

	/** {@code http://127.0.0.1:<port>/v1}, the form of OpenAI's base URL. */
	public URI baseUrl() {
		return URI.create(uri() + "/v1");
	}

	public FakeOpenAiImages drawTime(Duration drawTime) {
		this.drawTime = drawTime;
		return this;
	}

	@Override
	protected Reply answer(RecordedRequest request) {
		if (apiKey != null && !("Bearer " + apiKey).equals(request.header("Authorization"))) {
			return error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
		}
		return switch (request.method() + " " + request.path()) {
			case "POST /v1/images/generations" -> generate(request.json());
			case "POST /v1/images/edits" -> edit(MultipartForm.parse(request.header("Content-Type"), request.body()));
			default -> error(404, "Invalid URL (" + request.method() + " " + request.path() + ")",
					"invalid_request_error", null);
		};
	}

	private Reply generate(JsonNode body) {
		String model = body.path("model").asText("dall-e-2");
		if (!MODELS.contains(model)) {
			return error(404, "The model '" + model + "' does not exist.", "invalid_request_error", "model_not_found");
		}
		String prompt = body.path("prompt").asText("");
		if (prompt.isBlank()) {
			return error(400, "Missing required parameter: 'prompt'.", "invalid_request_error", null);
		}
		if (prompt.toLowerCase().contains("forbidden")) {
			return error(400, "Your request was rejected as a result of our safety system.",
					"image_generation_user_error", "content_policy_violation");
		}
		int n = body.path("n").asInt(1);
		if ("dall-e-3".equals(model) && n != 1) {
			return error(400, "You must provide n=1 for this model.", "invalid_request_error", null);
		}
		if (model.startsWith("gpt-image") && body.has("response_format")) {
			return error(400, "Unknown parameter: 'response_format'.", "invalid_request_error", "unknown_parameter");
		}
		String[] size = body.path("size").asText("1024x1024").split("x");
		return images(n, Integer.parseInt(size[0]), Integer.parseInt(size[1]));
	}

	private Reply edit(Map<String, MultipartForm.Part> form) {
		MultipartForm.Part image = form.get("image");
		if (image == null || image.fileName() == null) {
			return error(400, "Missing required parameter: 'image'.", "invalid_request_error", null);
		}
		if (form.get("prompt") == null) {
			return error(400, "Missing required parameter: 'prompt'.", "invalid_request_error", null);
		}
		String model = form.containsKey("model") ? form.get("model").text() : "dall-e-2";
		if ("dall-e-3".equals(model)) {
			return error(400, "Invalid model dall-e-3: only dall-e-2 and gpt-image-1 can edit.",
					"invalid_request_error", null);
		}
		var picture = FakePictures.read(image.bytes());
		int width = picture.getWidth();
		int height = picture.getHeight();
		if (form.containsKey("size")) {
			String[] size = form.get("size").text().split("x");
			width = Integer.parseInt(size[0]);
			height = Integer.parseInt(size[1]);
		}
		int n = form.containsKey("n") ? Integer.parseInt(form.get("n").text()) : 1;
		return images(n, width, height);
	}

	private synchronized Reply images(int n, int width, int height) {
		ObjectNode answer = Json.object();
		answer.put("created", 1_700_000_000L);
		ArrayNode data = answer.putArray("data");
		for (int i = 0; i < n; i++) {
			data.addObject().put("b64_json", FakePictures.base64(FakePictures.png(width, height, seed++)));
		}
		return Reply.json(200, Json.write(answer)).withFirstByteDelay(drawTime);
	}

	private static Reply error(int status, String message, String type, String code) {
		ObjectNode body = Json.object();
		ObjectNode error = body.putObject("error");
		error.put("message", message);
		error.put("type", type);
		error.putNull("param");
		if (code == null) {
			error.putNull("code");
		}
		else {
			error.put("code", code);
		}
		return Reply.json(status, Json.write(body));
	}

}
