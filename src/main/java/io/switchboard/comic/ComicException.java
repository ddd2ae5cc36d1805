package io.switchboard.comic;

/**
 * A comic step that was refused or failed; the message is written for the user. Nothing
 * was changed.
 */
public sealed class ComicException extends RuntimeException permits ComicException.NotFound, ComicException.Invalid,
		ComicException.NotReady, ComicException.ModelFailed, ComicException.ImageRefused {

	ComicException(String message) {
		super(message);
	}

	ComicException(String message, Throwable cause) {
		super(message, cause);
	}

	/** No such comic, or not the asker's. (HTTP 404) */
	public static final class NotFound extends ComicException {

		public NotFound(String message) {
			super(message);
		}

	}

	/** Bad input: an empty idea, a fifth panel, an overlong field. (HTTP 400) */
	public static final class Invalid extends ComicException {

		public Invalid(String message) {
			super(message);
		}

	}

	/**
	 * The step needs an earlier one first (prompts before a story, a strip before every
	 * panel is drawn), or the comic is busy making itself. (HTTP 409)
	 */
	public static final class NotReady extends ComicException {

		public NotReady(String message) {
			super(message);
		}

	}

	/**
	 * The model could not do the step: its answer was not valid twice in a row, or the
	 * call failed. (HTTP 502, or 503 when it may pass)
	 */
	public static final class ModelFailed extends ComicException {

		private final boolean mayPass;

		public ModelFailed(String message, boolean mayPass, Throwable cause) {
			super(message, cause);
			this.mayPass = mayPass;
		}

		/** Whether trying again later may help (the model was busy or down). */
		public boolean mayPass() {
			return mayPass;
		}

	}

	/**
	 * The image engine refused a panel (a banned word, bad settings, a full queue). (HTTP
	 * 400, 429 for a full queue)
	 */
	public static final class ImageRefused extends ComicException {

		private final boolean queueFull;

		public ImageRefused(String message, boolean queueFull) {
			super(message);
			this.queueFull = queueFull;
		}

		public boolean queueFull() {
			return queueFull;
		}

	}

}
