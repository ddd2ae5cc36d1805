package io.switchboard.llm.internal;

import dev.langchain4j.exception.HttpException;

/**
 * An error answer with what LangChain4j's {@link HttpException} leaves out: the seconds
 * the {@code Retry-After} header asked to wait. Extending it keeps LangChain4j's own
 * status mapping working for code that looks only at {@link HttpException}.
 */
public final class HttpStatusException extends HttpException {

	private final String body;

	private final long retryAfterSeconds;

	HttpStatusException(int statusCode, String body, String retryAfter) {
		super(statusCode, "HTTP " + statusCode);
		this.body = body == null ? "" : body;
		this.retryAfterSeconds = seconds(retryAfter);
	}

	/** The answer's body, usually the vendor's error JSON. */
	public String body() {
		return body;
	}

	/** Seconds the {@code Retry-After} header asked for, or 0. */
	public long retryAfterSeconds() {
		return retryAfterSeconds;
	}

	static long seconds(String retryAfter) {
		if (retryAfter == null || retryAfter.isBlank()) {
			return 0;
		}
		try {
			return Math.max(0, (long) Math.ceil(Double.parseDouble(retryAfter.strip())));
		}
		catch (NumberFormatException httpDate) {
			return 0; // an HTTP date: backoff will do
		}
	}

}
