package io.switchboard.conversation;

/**
 * Which session a message goes to, decided before anything is written: an existing
 * session, or a fresh one that is created when the message is stored (a message refused
 * before that, for being empty or too long, leaves nothing behind).
 */
public sealed interface SessionChoice {

	/** The model that will answer. */
	String model();

	/** The system prompt that applies, or {@code null}. */
	String systemPrompt();

	/** The topic the message goes to. */
	int topic();

	/** A session that already exists. */
	record Existing(Session session) implements SessionChoice {

		@Override
		public String model() {
			return session.model();
		}

		@Override
		public String systemPrompt() {
			return session.systemPrompt();
		}

		@Override
		public int topic() {
			return session.currentTopic();
		}

	}

	/**
	 * A session to create with the message.
	 *
	 * @param makeCurrent whether it becomes the author's current session
	 */
	record Fresh(Place place, String title, String model, String systemPrompt, boolean isPublic,
			boolean makeCurrent) implements SessionChoice {

		@Override
		public int topic() {
			return 1;
		}

	}

}
