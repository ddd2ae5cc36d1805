package io.switchboard.fakes;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fake of OpenAI's text to speech in its wire format: {@code POST /v1/audio/speech}
 * with JSON {@code {"model", "input", "voice", "response_format"}}, answered with the
 * audio's bytes ({@code audio/mpeg}): silent MP3 frames lasting one second per 15
 * characters of input (at least one), so a test can tell the pieces' lengths apart. More
 * than 4,096 characters of input is refused as OpenAI refuses it. With an API key the
 * fake wants {@code Authorization: Bearer <key>}.
 */
public final class FakeSpeech extends FakeHttpServer {

	private final String apiKey;

	private FakeSpeech(String apiKey) {
		this.apiKey = apiKey;
	}

	public static FakeSpeech start(String apiKey) {
		return new FakeSpeech(apiKey);
	}

	/** {@code http://127.0.0.1:<port>/v1}. */
	public URI baseUrl() {
		return URI.create(uri() + "/v1");
	}

	/** The JSON bodies of every speech asked for, oldest first. */
	public List<JsonNode> spoken() {
		return requests().stream()
			.filter(request -> request.path().equals("/v1/audio/speech"))
			.map(request -> Json.read(request.body()))
			.toList();
	}

	/**
	 * Fails the next speech asked for as OpenAI does when its server errs (HTTP 500, its
	 * error JSON, no audio).
	 */
	public void failNext() {
		enqueue(error(500, "The server had an error while processing your request. Sorry about that!"));
	}

	/** The audio the fake answers for an input. */
	public static byte[] audioFor(String input) {
		return Sounds.silentMp3(Math.max(1, input.length() / 15));
	}

	@Override
	protected Reply answer(RecordedRequest request) {
		if (apiKey != null && !("Bearer " + apiKey).equals(request.header("Authorization"))) {
			return error(401, "Incorrect API key provided.");
		}
		if (!(request.method() + " " + request.path()).equals("POST /v1/audio/speech")) {
			return error(404, "Invalid URL (" + request.method() + " " + request.path() + ")");
		}
		JsonNode body = Json.read(request.body());
		String input = body.path("input").asText("");
		if (input.isEmpty() || body.path("model").asText("").isEmpty() || body.path("voice").asText("").isEmpty()) {
			return error(400, "input, model and voice are required");
		}
		if (input.length() > 4096) {
			return error(400, "[{'type': 'string_too_long', 'loc': ('body', 'input'), 'msg': 'String should have at "
					+ "most 4096 characters'}]");
		}
		return new Reply.Whole(200, Map.of("Content-Type", "audio/mpeg"), audioFor(input), Duration.ZERO);
	}

	private static Reply error(int status, String message) {
		ObjectNode body = Json.object();
		body.putObject("error").put("message", message).put("type", "invalid_request_error").putNull("code");
		return Reply.json(status, body.toString());
	}

}
