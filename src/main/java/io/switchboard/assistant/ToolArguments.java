package io.switchboard.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.switchboard.assistant.AssistantTool.ToolFailure;

/**
 * A tool call's arguments, read once for every tool: models write them badly often enough
 * (not JSON, an array, a field left out) that each tool would otherwise repeat the same
 * checks with slightly different words for the model.
 */
public final class ToolArguments {

	// reading a tree needs no configured mapper (no modules, no naming strategy)
	private static final ObjectMapper JSON = new ObjectMapper();

	private final JsonNode node;

	private ToolArguments(JsonNode node) {
		this.node = node;
	}

	/**
	 * Reads the arguments as the model wrote them; none at all counts as {@code {}}.
	 * @throws ToolFailure when they are not a JSON object (the model is told why)
	 */
	public static ToolArguments read(String arguments) {
		JsonNode node;
		try {
			node = JSON.readTree(arguments == null || arguments.isBlank() ? "{}" : arguments);
		}
		catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
			throw new ToolFailure("The arguments are not valid JSON: " + notJson.getOriginalMessage());
		}
		if (node == null || !node.isObject()) {
			throw new ToolFailure("The arguments must be a JSON object.");
		}
		return new ToolArguments(node);
	}

	/** A text field, stripped; empty when left out. */
	public String text(String field) {
		return node.path(field).asText("").strip();
	}

	/**
	 * A text field the tool cannot do without.
	 * @param whenMissing what the model is told when it is left out or blank
	 */
	public String required(String field, String whenMissing) {
		String value = text(field);
		if (value.isEmpty()) {
			throw new ToolFailure(whenMissing);
		}
		return value;
	}

	/** A whole-number field, or {@code fallback} when left out or not a number. */
	public int number(String field, int fallback) {
		JsonNode value = node.path(field);
		return value.canConvertToInt() ? value.asInt() : fallback;
	}

	/** The arguments as a tree, for a tool that passes them on (an MCP server's). */
	public JsonNode tree() {
		return node;
	}

}
