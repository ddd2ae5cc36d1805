package io.switchboard.assistant;

import io.switchboard.conversation.User;

/**
 * A text command another module adds to the shared grammar, e.g. {@code /imagine} from
 * image generation. Register one as a bean; {@code /help} lists it.
 */
public interface CommandExtension {

	/** The command word without the slash, lower case, e.g. {@code imagine}. */
	String name();

	/**
	 * One line for {@code /help}, e.g. {@code /imagine <prompt> — draw four candidates}.
	 */
	String help();

	/** Handles the command; replies go to the sink. */
	void handle(User user, InboundMessage message, String arguments, ReplySink sink);

}
