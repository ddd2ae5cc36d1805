package io.switchboard.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.assistant.AssistantTool;
import io.switchboard.assistant.ToolAnswers;
import io.switchboard.llm.ModelSpec;
import io.switchboard.tool.McpServerTools;

import org.springframework.stereotype.Component;

/**
 * The server's MCP tools a {@code /v1/chat/completions} client asks for, the way OpenAI's
 * Responses API takes a remote MCP server: an entry {@code {"type":"mcp",
 * "server_label":"<configured server>", "allowed_tools":[...]}} in {@code tools}. The
 * gateway runs those tools itself (the assistant's tool loop); the client's own functions
 * still come back to it as {@code tool_calls}. Everything is checked before anything goes
 * to a model: an unknown server, one the admin did not open to users, or a tool it does
 * not have is a 400 naming it.
 */
@Component
class ServerTools {

	private static final byte[] MCP = "\"mcp\"".getBytes(StandardCharsets.US_ASCII);

	/**
	 * What a remote MCP entry may carry that only a server of the client's own could
	 * mean.
	 */
	private static final List<String> CLIENTS_OWN = List.of("server_url", "connector_id", "headers", "authorization");

	private final McpServerTools servers;

	private final ToolAnswers answers;

	private final ObjectMapper mapper;

	ServerTools(McpServerTools servers, ToolAnswers answers, ObjectMapper mapper) {
		this.servers = servers;
		this.answers = answers;
		this.mapper = mapper;
	}

	/**
	 * A request's MCP tools.
	 *
	 * @param clientBody the request without its MCP entries, as the translation reads it
	 * @param tools the tools offered to the model, run by the gateway
	 * @param labels each offered tool's server and name on it, by the name the model sees
	 */
	record Requested(JsonNode clientBody, List<AssistantTool> tools, Map<String, Label> labels) {
	}

	/** A tool's server and its name there. */
	record Label(String server, String tool) {
	}

	/**
	 * The MCP tools {@code chat} asks for, or {@code null} when it asks for none.
	 * @throws OpenAiError 400 for an unknown or closed server, a tool it does not have,
	 * one that would need a confirmation, or what only a client's own server could mean
	 * ({@code server_url}, approvals); 424 when a server cannot be reached
	 */
	Requested resolve(ChatCompletionRequest chat, ModelSpec model) {
		// most requests have no MCP entry: they are not read into a tree for this
		if (indexOf(chat.body(), MCP) < 0) {
			return null;
		}
		JsonNode body = chat.tree(mapper);
		JsonNode list = body.path("tools");
		if (!list.isArray()) {
			return null;
		}
		ArrayNode theirs = mapper.createArrayNode();
		List<AssistantTool> tools = new ArrayList<>();
		Map<String, Label> labels = new HashMap<>();
		Set<String> seen = new LinkedHashSet<>();
		for (int i = 0; i < list.size(); i++) {
			JsonNode entry = list.get(i);
			if (!"mcp".equals(entry.path("type").asText())) {
				theirs.add(entry);
				continue;
			}
			String at = "tools[" + i + "]";
			if (!answers.offersTools(model)) {
				throw OpenAiError.invalid("The model `" + model.name() + "` is not offered tools on this server, "
						+ "so it cannot use MCP servers.", at, "tools_not_supported");
			}
			for (String field : CLIENTS_OWN) {
				if (entry.has(field)) {
					throw OpenAiError.invalid(
							"'" + field + "' is not supported: only the MCP servers configured on "
									+ "this server can be used, named by 'server_label'.",
							at + "." + field, "unsupported_parameter");
				}
			}
			JsonNode approval = entry.path("require_approval");
			if (!approval.isMissingNode() && !approval.isNull()
					&& !(approval.isTextual() && approval.asText().equals("never"))) {
				throw OpenAiError.invalid(
						"Only require_approval 'never' is supported: there is no way to approve "
								+ "a tool call here. Tools that need approval are not offered.",
						at + ".require_approval", "unsupported_value");
			}
			JsonNode label = entry.path("server_label");
			if (!label.isTextual() || label.asText().isBlank()) {
				throw OpenAiError.invalid("An MCP tool needs 'server_label', the name of one of this server's MCP "
						+ "servers" + mayUse() + ".", at + ".server_label", "missing_required_parameter");
			}
			String server = label.asText();
			if (!seen.add(server)) {
				throw OpenAiError.invalid("The MCP server `" + server + "` is named twice in 'tools'.",
						at + ".server_label", "invalid_value");
			}
			McpServerTools.Tools offered = switch (servers.offer(server)) {
				case McpServerTools.Unknown unknown ->
					throw OpenAiError.invalid("There is no MCP server `" + server + "` on this server" + mayUse() + ".",
							at + ".server_label", "mcp_server_not_found");
				case McpServerTools.NotForUsers closed ->
					throw OpenAiError.invalid("The MCP server `" + server + "` is not open to users" + mayUse() + ".",
							at + ".server_label", "mcp_server_not_allowed");
				case McpServerTools.Unreachable down -> throw new OpenAiError(424,
						"The MCP server `" + server + "` cannot be reached right now. Please try again later.",
						"server_error", at + ".server_label", "mcp_server_unavailable", 0);
				case McpServerTools.Tools found -> found;
			};
			Set<String> allowed = allowed(entry.path("allowed_tools"), at + ".allowed_tools");
			for (String name : allowed) {
				McpServerTools.ServerTool tool = offered.tools()
					.stream()
					.filter(one -> one.name().equals(name))
					.findFirst()
					.orElseThrow(() -> OpenAiError
						.invalid("The MCP server `" + server + "` has no tool `" + name + "`. Its tools: "
								+ String.join(", ",
										offered.tools().stream().map(McpServerTools.ServerTool::name).toList())
								+ ".", at + ".allowed_tools", "mcp_tool_not_found"));
				if (answers.needsConfirmation(tool.tool())) {
					throw OpenAiError.invalid(
							"The tool `" + name + "` of the MCP server `" + server
									+ "` runs only after a user confirms it, which cannot be asked here.",
							at + ".allowed_tools", "mcp_tool_needs_confirmation");
				}
			}
			for (McpServerTools.ServerTool tool : offered.tools()) {
				// without allowed_tools, every tool that needs no confirmation
				if ((allowed.isEmpty() || allowed.contains(tool.name())) && !answers.needsConfirmation(tool.tool())) {
					tools.add(tool.tool());
					labels.put(tool.tool().spec().name(), new Label(server, tool.name()));
				}
			}
		}
		if (seen.isEmpty()) {
			return null;
		}
		ObjectNode clientBody = ((ObjectNode) body).deepCopy();
		if (theirs.isEmpty()) {
			clientBody.remove("tools");
		}
		else {
			clientBody.set("tools", theirs);
		}
		if (clientBody.path("tool_choice").isTextual() && clientBody.path("tool_choice").asText().equals("none")) {
			tools = List.of(); // no tools at all, the server's neither
		}
		return new Requested(clientBody, List.copyOf(tools), Map.copyOf(labels));
	}

	/** {@code allowed_tools}: a list of names, or {@code {"tool_names": [...]}}. */
	private static Set<String> allowed(JsonNode allowed, String at) {
		Set<String> names = new LinkedHashSet<>();
		if (allowed.isMissingNode() || allowed.isNull()) {
			return names;
		}
		JsonNode list = allowed.isObject() ? allowed.path("tool_names") : allowed;
		if (!list.isArray() || list.isEmpty()) {
			throw OpenAiError.invalid(
					"'allowed_tools' must be a non-empty list of tool names " + "(or {\"tool_names\": [...]}).", at,
					"invalid_type");
		}
		for (JsonNode name : list) {
			if (!name.isTextual()) {
				throw OpenAiError.invalid("'allowed_tools' must list tool names as strings.", at, "invalid_type");
			}
			names.add(name.asText());
		}
		return names;
	}

	private String mayUse() {
		List<String> open = servers.open();
		return open.isEmpty() ? " (none is open to users)" : " (you may use: " + String.join(", ", open) + ")";
	}

	private static int indexOf(byte[] body, byte[] part) {
		outer: for (int i = 0; i <= body.length - part.length; i++) {
			for (int j = 0; j < part.length; j++) {
				if (body[i + j] != part[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
