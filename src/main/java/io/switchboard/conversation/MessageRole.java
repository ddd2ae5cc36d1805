package io.switchboard.conversation;

/** Who wrote a stored message. System prompts live on the session, not as messages. */
public enum MessageRole {

	USER, ASSISTANT

}
