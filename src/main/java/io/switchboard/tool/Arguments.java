package io.switchboard.tool;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.switchboard.assistant.AssistantTool.ToolFailure;

/** A tool call's arguments, which a model may have written badly. */
final class Arguments {

	private Arguments() {
	}

	static JsonNode parse(ObjectMapper json, String arguments) {
		try {
			JsonNode node = json.readTree(arguments == null || arguments.isBlank() ? "{}" : arguments);
			if (node == null || !node.isObject()) {
				throw new ToolFailure("The arguments must be a JSON object.");
			}
			return node;
		}
		catch (IOException notJson) {
			throw new ToolFailure("The arguments are not valid JSON: " + notJson.getMessage());
		}
	}

}
