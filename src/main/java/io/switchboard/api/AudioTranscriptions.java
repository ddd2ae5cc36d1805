package io.switchboard.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;

import io.switchboard.voice.Transcription;
import io.switchboard.voice.TranscriptionOptions;
import io.switchboard.voice.Voice;

import org.springframework.stereotype.Component;

/**
 * {@code POST /v1/audio/transcriptions} in OpenAI's format (multipart: {@code file},
 * {@code model}, and optionally {@code language}, {@code prompt},
 * {@code response_format}, {@code temperature}), passed to the server's speech to text
 * model after the checks every voice message passes (size, format from the bytes,
 * length). {@code model} must name that model ({@code switchboard.voice.model}). The
 * key's limits apply, its seconds of audio and their cost go into the owner's ledger, and
 * the call is recorded like any other.
 */
@Component
class AudioTranscriptions {

	private final Voice voice;

	private final KeyLimits limits;

	private final CallRecorder recorder;

	private final Clock clock;

	AudioTranscriptions(Voice voice, KeyLimits limits, CallRecorder recorder, Clock clock) {
		this.voice = voice;
		this.limits = limits;
		this.recorder = recorder;
		this.clock = clock;
	}

	void transcribe(ApiCaller caller, HttpServletRequest request, HttpServletResponse response) throws IOException {
		String type = request.getContentType();
		if (type == null || !type.regionMatches(true, 0, "multipart/form-data", 0, 19)) {
			throw new OpenAiError(415,
					"Unsupported content type " + (type == null ? "(none)" : "'" + type + "'")
							+ ". This endpoint expects 'Content-Type: multipart/form-data' with the audio as 'file'.",
					"invalid_request_error", null, "unsupported_media_type", 0);
		}
		Collection<Part> parts;
		try {
			parts = request.getParts();
		}
		catch (IllegalStateException tooLarge) {
			// over spring.servlet.multipart.max-file-size or max-request-size
			throw new OpenAiError(413, "The upload is larger than this server takes.", "invalid_request_error", "file",
					"request_too_large", 0);
		}
		catch (ServletException malformed) {
			throw OpenAiError.invalid("Could not parse multipart form.", null, "invalid_multipart");
		}
		java.util.Map<String, Part> form = new java.util.HashMap<>();
		parts.forEach(part -> form.putIfAbsent(part.getName(), part));
		Part file = form.get("file");
		if (file == null || file.getSubmittedFileName() == null) {
			throw OpenAiError.invalid("Missing required parameter: 'file'.", "file", "missing_required_parameter");
		}
		String model = text(form, "model");
		if (model == null || model.isBlank()) {
			throw OpenAiError.invalid("Missing required parameter: 'model'.", "model", "missing_required_parameter");
		}
		if (!voice.isOn()) {
			throw new OpenAiError(404,
					"Speech to text is not set up on this server; the administrator sets switchboard.voice.provider.",
					"invalid_request_error", "model", "model_not_found", 0);
		}
		if (!model.strip().equals(voice.model())) {
			throw new OpenAiError(404,
					"The model `" + model + "` does not exist or you do not have access to it. This server's speech "
							+ "to text model is `" + voice.model() + "`.",
					"invalid_request_error", "model", "model_not_found", 0);
		}
		if (!caller.key().allows(voice.model())) {
			throw new OpenAiError(403,
					"This API key may not use the model `" + voice.model() + "`. It may use: "
							+ String.join(", ", caller.key().allowedModels().stream().sorted().toList()) + ".",
					"permission_error", "model", "model_not_allowed", 0);
		}
		if ("true".equalsIgnoreCase(text(form, "stream"))) {
			throw OpenAiError.invalid("Streamed transcriptions are not supported by this server; leave 'stream' out.",
					"stream", "unsupported_value");
		}
		TranscriptionOptions options;
		try {
			options = new TranscriptionOptions(text(form, "response_format"), text(form, "language"),
					text(form, "prompt"), text(form, "temperature"));
		}
		catch (IllegalArgumentException bad) {
			String param = bad.getMessage().substring(0, bad.getMessage().indexOf(' '));
			throw OpenAiError.invalid("Invalid '" + param + "': " + bad.getMessage() + ".", param, "invalid_value");
		}
		byte[] bytes;
		try (InputStream in = file.getInputStream()) {
			bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, voice.maxBytes() + 1));
		}
		// a key at its limits is refused before the model is asked; the spend is settled
		// with what the clip cost
		KeyLimits.Reservation reservation = limits.reserve(caller.key(), 0, 0);
		long started = System.nanoTime();
		Transcription transcription = voice.transcribe(bytes, options);
		switch (transcription) {
			case Transcription.Refused refused -> {
				limits.settle(reservation, 0, 0);
				throw new OpenAiError(refused.status(), refused.message(), "invalid_request_error", "file",
						refused.status() == 413 ? "request_too_large" : "invalid_value", 0);
			}
			case Transcription.Failed failed -> {
				limits.settle(reservation, 0, 0);
				record(caller, failed.status(), 0, started);
				throw new OpenAiError(failed.status(), failed.message(),
						failed.status() == 400 ? "invalid_request_error" : "server_error", null, null, 0);
			}
			case Transcription.Transcribed heard -> {
				limits.settle(reservation, 0, heard.costNanos());
				voice.recordApiSeconds(caller.owner().id().value(), heard.seconds());
				response.setStatus(200);
				response.setContentType(heard.contentType());
				response.setContentLength(heard.body().length);
				response.getOutputStream().write(heard.body());
				record(caller, 200, heard.costNanos(), started);
			}
		}
	}

	private void record(ApiCaller caller, int status, long costNanos, long started) {
		long latency = (System.nanoTime() - started) / 1_000_000;
		recorder
			.record(new ApiCall(caller.key().id(), caller.owner().id().value(), voice.model(), "voice/" + voice.model(),
					0, 0, costNanos, (int) Math.min(Integer.MAX_VALUE, latency), 0, status, false, clock.millis()));
	}

	/** A text field of the form, or {@code null}. */
	private static String text(java.util.Map<String, Part> form, String name) throws IOException {
		Part part = form.get(name);
		if (part == null || part.getSubmittedFileName() != null) {
			return null;
		}
		try (InputStream in = part.getInputStream()) {
			return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
		}
	}

}
