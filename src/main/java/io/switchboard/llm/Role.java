package io.switchboard.llm;

/** Who speaks a message in a conversation sent to a model. */
public enum Role {

	SYSTEM, USER, ASSISTANT

}
