package io.switchboard.assistant;

import io.switchboard.conversation.ChatMode;
import io.switchboard.conversation.User;

/**
 * Takes ordinary messages of users in a mode other than chat (e.g. image mode turns them
 * into image prompts). Register one as a bean per mode.
 */
public interface ModeHandler {

	ChatMode mode();

	void handle(User user, InboundMessage message, ReplySink sink);

}
