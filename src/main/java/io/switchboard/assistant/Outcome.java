package io.switchboard.assistant;

/** How the assistant dealt with a message. */
public enum Outcome {

	/** A model answered and the exchange was recorded. */
	ANSWERED,
	/** It was a command and got the command's reply. */
	COMMAND,
	/** Another module took it (e.g. an image prompt in image mode). */
	DELEGATED,
	/** It was not answered: the user is disabled. */
	IGNORED,
	/**
	 * It was refused with a reason (too long, not an image, someone else's session, ...).
	 */
	REFUSED,
	/** The model call failed; the user was told why. */
	FAILED

}
