package io.switchboard.llm.internal;

import io.switchboard.llm.LlmException;

/**
 * Makes one provider's {@link LlmException}s, with the configured API key cut out of
 * every message: vendors echo parts of requests in their errors, and messages end up in
 * logs and on screens.
 */
public final class Failures {

	private static final String REDACTED = "[redacted]";

	private final String provider;

	private final String apiKey;

	public Failures(String provider, String apiKey) {
		this.provider = provider;
		this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
	}

	public String provider() {
		return provider;
	}

	public LlmException.RateLimited rateLimited(String message, long retryAfterSeconds) {
		return new LlmException.RateLimited(provider, safe(message), retryAfterSeconds);
	}

	public LlmException.ProviderUnavailable unavailable(int httpStatus, String message, Throwable cause) {
		return new LlmException.ProviderUnavailable(provider, httpStatus, safe(message), scrub(cause));
	}

	public LlmException.ProviderTimeout timeout(String message, Throwable cause) {
		return new LlmException.ProviderTimeout(provider, safe(message), scrub(cause));
	}

	public LlmException.AuthenticationFailed authenticationFailed(int httpStatus, String message) {
		return new LlmException.AuthenticationFailed(provider, httpStatus, safe(message));
	}

	public LlmException.InvalidRequest invalidRequest(int httpStatus, String message) {
		return new LlmException.InvalidRequest(provider, httpStatus, safe(message));
	}

	public LlmException.ContextLengthExceeded contextLengthExceeded(String message) {
		return new LlmException.ContextLengthExceeded(provider, safe(message));
	}

	public LlmException.ContentFiltered contentFiltered(int httpStatus, String message) {
		return new LlmException.ContentFiltered(provider, httpStatus, safe(message));
	}

	/**
	 * The cause itself when no message in its chain mentions the key, else a copy of the
	 * chain with the key cut out, keeping each class name and stack trace for debugging.
	 */
	Throwable scrub(Throwable cause) {
		if (cause == null || apiKey == null || !mentionsKey(cause)) {
			return cause;
		}
		RuntimeException copy = new RuntimeException(
				cause.getClass().getName() + ": " + safe(String.valueOf(cause.getMessage())), scrub(cause.getCause()));
		copy.setStackTrace(cause.getStackTrace());
		return copy;
	}

	private boolean mentionsKey(Throwable cause) {
		for (Throwable link = cause; link != null; link = link.getCause() == link ? null : link.getCause()) {
			if (String.valueOf(link.getMessage()).contains(apiKey)) {
				return true;
			}
		}
		return false;
	}

	/** The message with the API key replaced. */
	public String safe(String message) {
		if (message == null || message.isBlank()) {
			return "no details given";
		}
		return apiKey == null ? message : message.replace(apiKey, REDACTED);
	}

}
