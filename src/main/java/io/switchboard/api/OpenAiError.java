package io.switchboard.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import jakarta.servlet.http.HttpServletResponse;

/**
 * A failure answered in OpenAI's error format,
 * {@code {"error":{"message","type","param","code"}}}, with its HTTP status and, for 429
 * and 503, the seconds to wait in {@code Retry-After}.
 */
final class OpenAiError extends RuntimeException {

	private static final JsonFactory JSON = new JsonFactory();

	private final int status;

	private final String type;

	private final String param;

	private final String code;

	private final long retryAfterSeconds;

	OpenAiError(int status, String message, String type, String param, String code, long retryAfterSeconds) {
		super(message, null, false, false);
		this.status = status;
		this.type = type;
		this.param = param;
		this.code = code;
		this.retryAfterSeconds = retryAfterSeconds;
	}

	static OpenAiError invalid(String message, String param, String code) {
		return new OpenAiError(400, message, "invalid_request_error", param, code, 0);
	}

	static OpenAiError unauthorized(String message, String code) {
		return new OpenAiError(401, message, "invalid_request_error", null, code, 0);
	}

	static OpenAiError modelNotFound(String model) {
		return new OpenAiError(404, "The model `" + model + "` does not exist or you do not have access to it.",
				"invalid_request_error", "model", "model_not_found", 0);
	}

	int status() {
		return status;
	}

	String type() {
		return type;
	}

	String code() {
		return code;
	}

	long retryAfterSeconds() {
		return retryAfterSeconds;
	}

	/** The error body. */
	byte[] body() {
		try (var out = new java.io.ByteArrayOutputStream(256); JsonGenerator json = JSON.createGenerator(out)) {
			json.writeStartObject();
			json.writeObjectFieldStart("error");
			json.writeStringField("message", getMessage());
			json.writeStringField("type", type);
			json.writeStringField("param", param);
			json.writeStringField("code", code);
			json.writeEndObject();
			json.writeEndObject();
			json.close();
			return out.toByteArray();
		}
		catch (IOException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	/** The body as one server-sent event, for failures after a stream has begun. */
	byte[] event() {
		byte[] body = body();
		byte[] event = new byte[body.length + 8];
		System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, event, 0, 6);
		System.arraycopy(body, 0, event, 6, body.length);
		event[event.length - 2] = '\n';
		event[event.length - 1] = '\n';
		return event;
	}

	/** Writes this error as the whole response, when nothing has been sent yet. */
	void writeTo(HttpServletResponse response) throws IOException {
		byte[] body = body();
		response.setStatus(status);
		response.setContentType("application/json");
		response.setContentLength(body.length);
		if (retryAfterSeconds > 0) {
			response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
		}
		response.getOutputStream().write(body);
	}

}
