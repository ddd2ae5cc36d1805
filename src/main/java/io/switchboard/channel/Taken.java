package io.switchboard.channel;

import io.switchboard.assistant.Received;

/** How the {@link Intake} took an event in. */
public sealed interface Taken {

	/** The event's key was seen before: nothing new happened. */
	record Duplicate() implements Taken {
	}

	/**
	 * The event is recorded, and with it a chat message (with its answer pending) or a
	 * command's effect.
	 *
	 * @param received what the assistant made of a message; {@code null} for an event
	 * that carried none
	 * @param delivery the id of what will answer the event, or {@code null} when nothing
	 * will (quiet events, a command with nothing to say)
	 */
	record Accepted(Received received, Long delivery) implements Taken {
	}

}
