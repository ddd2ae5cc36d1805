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
 * optional {@code language}, {@code prompt}, {@code response_format}. The answer is
 * {@code {"text": ..., "usage": {"type": "duration", "seconds": n}}} (whisper-1's form),
 * where the seconds are read from a WAV file's header and are 1 for other formats; with
 * {@code response_format} {@code verbose_json} the task, language, duration and one
 * segment; {@code text}, {@code srt} and {@code vtt} in those plain-text forms. What the
 * clips say is set by {@link #hears(String)}. With an API key the fake wants
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
		long seconds = Sounds.wavSeconds(file.bytes());
		String format = form.get("response_format") == null ? "json" : form.get("response_format").text();
		String end = String.format(java.util.Locale.ROOT, "00:00:%02d", seconds);
		return switch (format) {
			case "json" -> {
				ObjectNode body = Json.object().put("text", heard);
				body.putObject("usage").put("type", "duration").put("seconds", seconds);
				yield Reply.json(200, body.toString());
			}
			case "verbose_json" -> {
				ObjectNode body = Json.object()
					.put("task", "transcribe")
					.put("language", "english")
					.put("duration", (double) seconds)
					.put("text", heard);
				body.putArray("segments")
					.addObject()
					.put("id", 0)
					.put("seek", 0)
					.put("start", 0.0)
					.put("end", (double) seconds)
					.put("text", heard)
					.put("temperature", 0.0)
					.put("avg_logprob", -0.2)
					.put("compression_ratio", 1.0)
					.put("no_speech_prob", 0.01)
					.putArray("tokens");
				body.putObject("usage").put("type", "duration").put("seconds", seconds);
				yield Reply.json(200, body.toString());
			}
			case "text" -> plain("text/plain; charset=utf-8", heard + "\n");
			case "srt" -> plain("application/x-subrip", "1\n00:00:00,000 --> " + end + ",000\n" + heard + "\n\n");
			case "vtt" ->
				plain("text/vtt; charset=utf-8", "WEBVTT\n\n00:00:00.000 --> " + end + ".000\n" + heard + "\n\n");
			default -> error(400, "'" + format + "' is not one of ['json', 'text', 'srt', 'verbose_json', 'vtt'] - "
					+ "'response_format'", null);
		};
	}

	private static Reply plain(String type, String text) {
		return new Reply.Whole(200, Map.of("Content-Type", type),
				text.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.time.Duration.ZERO);
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
