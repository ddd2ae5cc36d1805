package io.switchboard.assistant;

import java.util.List;

import io.switchboard.llm.ToolSpec;

/**
 * Something a model may ask the assistant to do while it answers: draw an image, fetch a
 * page, call an MCP server's tool. {@link ToolSource}s offer them per turn; the assistant
 * runs the ones a model asks for and feeds their results back.
 */
public interface AssistantTool {

	/** The name, description and argument schema the model sees. */
	ToolSpec spec();

	/**
	 * Runs the tool. Blocks (the assistant calls it on a virtual thread and stops waiting
	 * after the configured tool timeout); a failure the model should hear about is thrown
	 * as {@link ToolFailure}, whose message it is told.
	 * @param arguments the arguments as the model wrote them, a JSON object
	 */
	ToolOutcome run(String arguments, ToolContext context);

	/**
	 * Whether the user must say yes (with a button) before each run: a tool that changes
	 * something outside, or one whose server the admin does not trust. The
	 * {@code switchboard.tools.confirm} setting asks for more.
	 */
	default boolean needsConfirmation() {
		return false;
	}

	/**
	 * This tool alone, unless the {@code switchboard.tools.disabled} setting names it:
	 * what a built-in tool, being its own {@link ToolSource}, offers for a turn.
	 */
	default List<AssistantTool> unlessDisabled(ToolProperties properties) {
		return properties.isEnabled(spec().name()) ? List.of(this) : List.of();
	}

	/** A tool that could not do what was asked; the message is for the model. */
	class ToolFailure extends RuntimeException {

		public ToolFailure(String message) {
			super(message);
		}

		public ToolFailure(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
