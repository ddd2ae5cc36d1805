package io.switchboard.image;

/** An image request that is refused; the message is for the user. */
public sealed class ImageJobException extends RuntimeException
		permits ImageJobException.NotFound, ImageJobException.NotAllowed, ImageJobException.Rejected {

	ImageJobException(String message) {
		super(message);
	}

	/** The job does not exist, or is not the asker's to see. */
	public static final class NotFound extends ImageJobException {

		public NotFound(String message) {
			super(message);
		}

	}

	/** The action does not apply (e.g. upscaling a job that has not finished). */
	public static final class NotAllowed extends ImageJobException {

		public NotAllowed(String message) {
			super(message);
		}

	}

	/** Refused before any work: a banned prompt, a full queue, an unknown provider. */
	public static final class Rejected extends ImageJobException {

		private final Reason reason;

		public Rejected(String message) {
			this(message, Reason.INVALID);
		}

		public Rejected(String message, Reason reason) {
			super(message);
			this.reason = reason;
		}

		/** Why it was refused, for APIs that answer with different statuses. */
		public Reason reason() {
			return reason;
		}

		public enum Reason {

			/** Bad settings or an empty or overlong prompt. */
			INVALID,
			/** The prompt holds a word this server does not draw. */
			BANNED,
			/** Too many jobs wait for the provider already; try again later. */
			QUEUE_FULL,
			/** No provider of the asked name is configured. */
			UNKNOWN_PROVIDER

		}

	}

}
