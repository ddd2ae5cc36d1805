package io.switchboard.llm;

/**
 * A model call that failed. The two subclasses tell the caller what to do:
 * {@link Retriable} may succeed if tried again later, {@link NonRetriable} will not and
 * must be explained to the user.
 */
public abstract sealed class LlmException extends RuntimeException
		permits LlmException.Retriable, LlmException.NonRetriable {

	private final String provider;

	private final int httpStatus;

	protected LlmException(String provider, int httpStatus, String message, Throwable cause) {
		super(message, cause);
		this.provider = provider;
		this.httpStatus = httpStatus;
	}

	/** The configured provider name that failed. */
	public String provider() {
		return provider;
	}

	/** The HTTP status the provider answered with, or 0 when there was no answer. */
	public int httpStatus() {
		return httpStatus;
	}

	/** A sentence a user can read, without provider internals or secrets. */
	public abstract String userMessage();

	/** Failures that may pass: the caller retries with backoff. */
	public abstract static sealed class Retriable extends LlmException
			permits RateLimited, ProviderUnavailable, ProviderTimeout {

		protected Retriable(String provider, int httpStatus, String message, Throwable cause) {
			super(provider, httpStatus, message, cause);
		}

	}

	/** Failures that will not pass by retrying: the caller explains them to the user. */
	public abstract static sealed class NonRetriable extends LlmException
			permits AuthenticationFailed, InvalidRequest, ContextLengthExceeded, ContentFiltered {

		protected NonRetriable(String provider, int httpStatus, String message, Throwable cause) {
			super(provider, httpStatus, message, cause);
		}

	}

	/**
	 * HTTP 429: too many requests or tokens for the provider account. Retry after
	 * {@link #retryAfterSeconds()} when the provider said, else with backoff.
	 */
	public static final class RateLimited extends Retriable {

		private final long retryAfterSeconds;

		public RateLimited(String provider, String message, long retryAfterSeconds) {
			super(provider, 429, message, null);
			this.retryAfterSeconds = retryAfterSeconds;
		}

		/** Seconds the provider asked to wait, or 0 if it did not say. */
		public long retryAfterSeconds() {
			return retryAfterSeconds;
		}

		@Override
		public String userMessage() {
			return "The model is busy right now (rate limited). Please try again in a moment.";
		}

	}

	/**
	 * HTTP 5xx or a broken connection: the provider is down or overloaded. Retry with
	 * backoff.
	 */
	public static final class ProviderUnavailable extends Retriable {

		public ProviderUnavailable(String provider, int httpStatus, String message, Throwable cause) {
			super(provider, httpStatus, message, cause);
		}

		@Override
		public String userMessage() {
			return "The model's service is unavailable right now. Please try again later.";
		}

	}

	/** No answer within the configured timeout. Retry with backoff. */
	public static final class ProviderTimeout extends Retriable {

		public ProviderTimeout(String provider, String message, Throwable cause) {
			super(provider, 0, message, cause);
		}

		@Override
		public String userMessage() {
			return "The model took too long to answer. Please try again.";
		}

	}

	/**
	 * HTTP 401 or 403: the configured key is wrong or lacks access. An operator must fix
	 * it.
	 */
	public static final class AuthenticationFailed extends NonRetriable {

		public AuthenticationFailed(String provider, int httpStatus, String message) {
			super(provider, httpStatus, message, null);
		}

		@Override
		public String userMessage() {
			return "The server's credentials for this model were refused. Please tell the administrator.";
		}

	}

	/**
	 * HTTP 400, 404 or 422: the provider rejected the request (unknown model, bad
	 * parameter).
	 */
	public static final class InvalidRequest extends NonRetriable {

		public InvalidRequest(String provider, int httpStatus, String message) {
			super(provider, httpStatus, message, null);
		}

		@Override
		public String userMessage() {
			return "The model rejected the request: " + getMessage();
		}

	}

	/**
	 * HTTP 400 with a context-length code: the prompt is longer than the model reads. The
	 * caller shortens the context and tries again; users never see this one.
	 */
	public static final class ContextLengthExceeded extends NonRetriable {

		public ContextLengthExceeded(String provider, String message) {
			super(provider, 400, message, null);
		}

		@Override
		public String userMessage() {
			return "The conversation is too long for this model. Start a new topic with /new.";
		}

	}

	/** The provider's content filter refused the prompt or the answer. */
	public static final class ContentFiltered extends NonRetriable {

		public ContentFiltered(String provider, int httpStatus, String message) {
			super(provider, httpStatus, message, null);
		}

		@Override
		public String userMessage() {
			return "The model's content filter declined this request.";
		}

	}

}
