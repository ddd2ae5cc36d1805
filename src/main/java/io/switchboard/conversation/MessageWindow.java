package io.switchboard.conversation;

import java.util.List;

/**
 * Some consecutive messages of a session, oldest first, as a page shows them, and whether
 * the session has more before and after them.
 */
public record MessageWindow(List<StoredMessage> messages, boolean earlier, boolean later) {

	public MessageWindow {
		messages = List.copyOf(messages);
	}

	/** Where a window is taken. */
	public enum Anchor {

		/** Around the message: half of the window before it, the message and after. */
		AT,
		/** The messages just before the message. */
		BEFORE,
		/** The messages just after the message. */
		AFTER

	}

}
