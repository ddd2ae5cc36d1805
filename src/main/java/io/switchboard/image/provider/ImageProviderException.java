package io.switchboard.image.provider;

/**
 * A provider failure. The message is written for the user who asked for the image; the
 * cause keeps the technical detail for the log.
 */
public abstract sealed class ImageProviderException extends RuntimeException {

	ImageProviderException(String message, Throwable cause) {
		super(message, cause);
	}

	/**
	 * Worth trying again later: HTTP 429 and 5xx, a refused or dropped connection, a
	 * backend's full queue. The engine retries with backoff, then fails the job with this
	 * message.
	 */
	public static final class Retriable extends ImageProviderException {

		private final boolean resend;

		public Retriable(String message, Throwable cause) {
			this(message, cause, false);
		}

		public Retriable(String message) {
			this(message, null, false);
		}

		/**
		 * @param resend whether the job must be sent again (the call that carried it
		 * failed) rather than asked about again
		 */
		public Retriable(String message, Throwable cause, boolean resend) {
			super(message, cause);
			this.resend = resend;
		}

		public boolean resend() {
			return resend;
		}

	}

	/**
	 * Will not work however often it is tried: a banned prompt, a refused key, an invalid
	 * request, a failed drawing. The job fails with this message.
	 */
	public static final class Refused extends ImageProviderException {

		public Refused(String message, Throwable cause) {
			super(message, cause);
		}

		public Refused(String message) {
			this(message, null);
		}

	}

	/**
	 * The backend does not know the task (a call that was in flight when this process
	 * stopped, or a task the backend forgot): the engine sends the job again.
	 */
	public static final class Lost extends ImageProviderException {

		public Lost(String message) {
			super(message, null);
		}

	}

}
