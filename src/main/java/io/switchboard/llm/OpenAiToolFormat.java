package io.switchboard.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OpenAI's way of writing tools, calls and results, to and from the neutral types: what
 * lets an OpenAI client use tools on any model (the gateway's translating path; the
 * Anthropic and Gemini adapters then speak their vendors' forms).
 */
public final class OpenAiToolFormat {

	private OpenAiToolFormat() {
	}

	/** A request's tools that cannot be translated; the message names the field. */
	public static final class Unsupported extends IllegalArgumentException {

		private final String param;

		Unsupported(String message, String param) {
			super(message);
			this.param = param;
		}

		public String param() {
			return param;
		}

	}

	/**
	 * The tools of a request body ({@code tools}, honouring {@code tool_choice} "none"
	 * and "auto"; the older {@code functions} too).
	 * @throws Unsupported for a tool that is not a function, a bad name, or a
	 * {@code tool_choice} that forces a tool (the translated vendors are not told to)
	 */
	public static List<ToolSpec> tools(JsonNode body) {
		JsonNode choice = body.path("tool_choice");
		if (choice.isTextual() && choice.asText().equals("none")) {
			return List.of();
		}
		if (!choice.isMissingNode() && !choice.isNull() && !(choice.isTextual() && choice.asText().equals("auto"))) {
			throw new Unsupported("Only tool_choice 'auto' and 'none' are supported for this model.", "tool_choice");
		}
		List<ToolSpec> tools = new ArrayList<>();
		JsonNode list = body.path("tools");
		for (int i = 0; i < list.size(); i++) {
			JsonNode tool = list.get(i);
			if (!"function".equals(tool.path("type").asText("function"))) {
				throw new Unsupported("Only tools of type 'function' are supported for this model.",
						"tools[" + i + "].type");
			}
			tools.add(spec(tool.path("function"), "tools[" + i + "].function"));
		}
		JsonNode functions = body.path("functions");
		for (int i = 0; i < functions.size(); i++) {
			tools.add(spec(functions.get(i), "functions[" + i + "]"));
		}
		return tools;
	}

	private static ToolSpec spec(JsonNode function, String at) {
		try {
			JsonNode parameters = function.path("parameters");
			return new ToolSpec(function.path("name").asText(null), function.path("description").asText(""),
					parameters.isObject() ? parameters.toString() : null);
		}
		catch (IllegalArgumentException bad) {
			throw new Unsupported(bad.getMessage(), at + ".name");
		}
	}

	/**
	 * The tool calls of an assistant message ({@code tool_calls}, or
	 * {@code function_call}).
	 */
	public static List<ContentPart.ToolCall> calls(JsonNode message, String at) {
		List<ContentPart.ToolCall> calls = new ArrayList<>();
		JsonNode list = message.path("tool_calls");
		for (int i = 0; i < list.size(); i++) {
			JsonNode call = list.get(i);
			String id = call.path("id").asText("");
			String name = call.path("function").path("name").asText("");
			if (id.isBlank() || name.isBlank()) {
				throw new Unsupported("A tool call needs an id and a function name.", at + ".tool_calls[" + i + "]");
			}
			calls.add(new ContentPart.ToolCall(id, name, call.path("function").path("arguments").asText("{}")));
		}
		return calls;
	}

	/**
	 * A {@code tool} message as a result, its tool's name found among the calls made
	 * before (Gemini matches results by name).
	 */
	public static ContentPart.ToolResult result(JsonNode message, Map<String, String> callNames, String at) {
		String id = message.path("tool_call_id").asText("");
		if (id.isBlank()) {
			throw new Unsupported("A tool message needs its tool_call_id.", at + ".tool_call_id");
		}
		String name = callNames.get(id);
		if (name == null) {
			throw new Unsupported("No earlier assistant message made the tool call '" + id + "'.",
					at + ".tool_call_id");
		}
		JsonNode content = message.path("content");
		StringBuilder text = new StringBuilder();
		if (content.isTextual()) {
			text.append(content.asText());
		}
		else {
			content.forEach(part -> text.append(part.path("text").asText("")));
		}
		return new ContentPart.ToolResult(id, name, text.toString(), false);
	}

	/**
	 * {@code tool_calls} as OpenAI writes them in a message (with index when streamed).
	 */
	public static void write(ArrayNode out, List<ContentPart.ToolCall> calls, boolean streamed) {
		for (int i = 0; i < calls.size(); i++) {
			ContentPart.ToolCall call = calls.get(i);
			ObjectNode node = out.addObject();
			if (streamed) {
				node.put("index", i);
			}
			node.put("id", call.id()).put("type", "function");
			node.putObject("function").put("name", call.name()).put("arguments", call.arguments());
		}
	}

}
