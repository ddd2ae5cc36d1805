package io.switchboard.llm;

/**
 * Who speaks a message in a conversation sent to a model. {@link #TOOL} messages carry
 * the results of tools the model asked for, one {@link ContentPart.ToolResult} each.
 */
public enum Role {

	SYSTEM, USER, ASSISTANT, TOOL

}
