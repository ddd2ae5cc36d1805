package io.switchboard.assistant;

/**
 * The text commands every channel shares. Platforms add native buttons and slash commands
 * on top, but those send these same commands.
 */
sealed interface Command {

	/** {@code /help} */
	record Help() implements Command {
	}

	/** {@code /new}: a new topic in the current session. */
	record NewTopic() implements Command {
	}

	/** {@code /models} */
	record Models() implements Command {
	}

	/** {@code /mode chat|image}; an empty mode shows the current one. */
	record Mode(String mode) implements Command {
	}

	/** {@code /session ...}; the argument's meaning depends on the action. */
	record SessionCommand(SessionAction action, String argument) implements Command {
	}

	/** {@code /user ...} */
	record UserCommand(UserAction action, String argument) implements Command {
	}

	/** {@code /compact}: summarise the current topic's older messages now. */
	record Compact() implements Command {
	}

	/** {@code /remember <fact>} */
	record Remember(String fact) implements Command {
	}

	/** {@code /memory}: the facts remembered for the user. */
	record Memory() implements Command {
	}

	/** {@code /forget <n | all>}; the argument is as typed. */
	record Forget(String argument) implements Command {
	}

	/**
	 * {@code /tool confirm|decline <id>}: the user's yes or no to a tool call that asked
	 * first; the argument is as typed.
	 */
	record ToolDecision(String argument) implements Command {
	}

	/** A command another module registered, e.g. {@code /imagine}. */
	record Extension(CommandExtension extension, String arguments) implements Command {
	}

	/** Not a command we know; answered with help. */
	record Unknown(String word) implements Command {
	}

	enum SessionAction {

		NEW, LIST, USE, RENAME, PUBLIC, PRIVATE, MODEL, SYSTEM, REMOVE, INFO, TOOLS

	}

	enum UserAction {

		INFO, MODEL, SYSTEM, MAXTOKENS, STATE, CLEAR, SHOWPUBLIC, ATTACH, VOICE

	}

}
