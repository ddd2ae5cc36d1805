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

		public Rejected(String message) {
			super(message);
		}

	}

}
