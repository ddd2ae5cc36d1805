package io.switchboard.fakes;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fake of OpenAI's speech to text in its real wire format:
 * {@code POST /v1/audio/transcriptions}, multipart with {@code file} (the extension names
 * the format; OpenAI refuses others with {@code Invalid file format}), {@code model} and
 * optional {@code language}, {@code response_format}. The answer is {@code {"text": ...,
 * "usage": {"type": "duration", "seconds": n}}} (whisper-1's form), where the seconds are
 * read from a WAV file's header and are 1 for other formats. What the clips say is set by
 * {@link #hears(String)}. With an API key the fake wants
 * {@code Authorization: Bearer <key>}.
 */
public final class FakeTranscriptions extends FakeHttpServer {

	private static final Set<String> EXTENSIONS = Set.of("flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg",
			"wav", "webm");

	private final String apiKey;

	private volatile String heard = "hello";

	private FakeTranscriptions(String apiKey) {
		this.apiKey = apiKey;
	}

	public static FakeTranscriptions start(String apiKey) {
		return new FakeTranscriptions(apiKey);
	}

	/** {@code http://127.0.0.1:<port>/v1}, the form of OpenAI's base URL. */
	public URI baseUrl() {
		return URI.create(uri() + "/v1");
	}

	/** What every clip from now on is heard to say ({@code ""}: nothing). */
	public FakeTranscriptions hears(String words) {
		this.heard = words;
		return this;
	}

	/** The multipart parts of every transcription asked for, oldest first. */
	public List<Map<String, MultipartForm.Part>> uploads() {
		return requests().stream()
			.filter(request -> request.path().equals("/v1/audio/transcriptions"))
			.map(request -> MultipartForm.parse(request.header("Content-Type"), request.body()))
			.toList();
	}

	@Override
	protected Reply answer(RecordedRequest request) {
		if (apiKey != null && !("Bearer " + apiKey).equals(request.header("Authorization"))) {
			return error(401, "Incorrect API key provided.", "invalid_api_key");
		}
		if (!(request.method() + " " + request.path()).equals("POST /v1/audio/transcriptions")) {
			return error(404, "Invalid URL (" + request.method() + " " + request.path() + ")", null);
		}
		Map<String, MultipartForm.Part> form = MultipartForm.parse(request.header("Content-Type"), request.body());
		MultipartForm.Part file = form.get("file");
		if (file == null || file.fileName() == null) {
			return error(400, "Could not parse multipart form", null);
		}
		if (form.get("model") == null || form.get("model").text().isBlank()) {
			return error(400, "you must provide a model parameter", null);
		}
		String name = file.fileName();
		String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
		if (!EXTENSIONS.contains(extension)) {
			return error(400, "Invalid file format. Supported formats: " + EXTENSIONS.stream().sorted().toList(), null);
		}
		ObjectNode body = Json.object().put("text", heard);
		body.putObject("usage").put("type", "duration").put("seconds", Sounds.wavSeconds(file.bytes()));
		return Reply.json(200, body.toString());
	}

	private static Reply error(int status, String message, String code) {
		ObjectNode body = Json.object();
		ObjectNode error = body.putObject("error");
		error.put("message", message).put("type", "invalid_request_error").putNull("param");
		if (code == null) {
			error.putNull("code");
		}
		else {
			error.put("code", code);
		}
		return Reply.json(status, body.toString());
	}

}
