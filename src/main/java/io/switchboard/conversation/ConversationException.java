package io.switchboard.conversation;

/**
 * A request about users or sessions that the rules refuse. Its message is written for the
 * user and never names anything they may not see.
 */
public sealed class ConversationException extends RuntimeException
		permits ConversationException.NotFound, ConversationException.NotAllowed, ConversationException.Invalid {

	ConversationException(String message) {
		super(message);
	}

	/** The session (or user) does not exist, or the asker may not know it does. */
	public static final class NotFound extends ConversationException {

		public NotFound(String message) {
			super(message);
		}

	}

	/**
	 * The asker may see the thing but not do this to it (e.g. change someone else's
	 * session).
	 */
	public static final class NotAllowed extends ConversationException {

		public NotAllowed(String message) {
			super(message);
		}

	}

	/**
	 * A setting's value is not acceptable (unknown model, a number out of range, ...).
	 */
	public static final class Invalid extends ConversationException {

		public Invalid(String message) {
			super(message);
		}

	}

}
