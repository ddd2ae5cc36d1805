package io.switchboard.tool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;

import io.switchboard.assistant.AssistantTool;
import io.switchboard.assistant.ToolArguments;
import io.switchboard.assistant.ToolContext;
import io.switchboard.assistant.ToolOutcome;
import io.switchboard.assistant.ToolProperties;
import io.switchboard.assistant.ToolSource;
import io.switchboard.llm.ToolSpec;

import org.springframework.stereotype.Component;

/**
 * The tools of the MCP servers a session uses, offered to its model as
 * {@code server__tool} so that two servers' tools never clash.
 */
@Component
class McpToolSource implements ToolSource {

	static final String SEPARATOR = "__";

	private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
	};

	private final McpConnections connections;

	private final SessionToolServers choices;

	private final ObjectMapper json;

	McpToolSource(McpConnections connections, SessionToolServers choices, ObjectMapper json) {
		this.connections = connections;
		this.choices = choices;
		this.json = json;
	}

	@Override
	public List<AssistantTool> tools(ToolContext context) {
		List<AssistantTool> tools = new ArrayList<>();
		for (String server : choices.enabled(context.session().id())) {
			McpConnections.Connection connection = connections.connection(server);
			if (connection == null) {
				continue; // down: the model goes without it this turn
			}
			for (McpSchema.Tool tool : connection.tools()) {
				String name = toolName(server, tool.name());
				if (name != null) {
					tools.add(tool(server, tool, name));
				}
			}
		}
		return tools;
	}

	/** One of a server's tools, as models see it under {@code name}. */
	AssistantTool tool(String server, McpSchema.Tool tool, String name) {
		return new McpTool(server, tool, spec(name, tool));
	}

	/**
	 * {@code server__tool} with what vendors refuse in a name replaced, or {@code null}
	 * when it would be too long.
	 */
	static String toolName(String server, String tool) {
		String name = (server + SEPARATOR + tool).replaceAll("[^A-Za-z0-9_-]", "_");
		return name.length() > 64 ? null : name;
	}

	private ToolSpec spec(String name, McpSchema.Tool tool) {
		String schema;
		try {
			schema = tool.inputSchema() == null ? null : json.writeValueAsString(tool.inputSchema());
		}
		catch (IOException impossible) {
			schema = null;
		}
		String description = tool.description() != null ? tool.description()
				: tool.title() != null ? tool.title() : tool.name();
		return new ToolSpec(name, description, schema);
	}

	private final class McpTool implements AssistantTool {

		private final String server;

		private final McpSchema.Tool tool;

		private final ToolSpec spec;

		McpTool(String server, McpSchema.Tool tool, ToolSpec spec) {
			this.server = server;
			this.tool = tool;
			this.spec = spec;
		}

		@Override
		public ToolSpec spec() {
			return spec;
		}

		@Override
		public boolean needsConfirmation() {
			ToolProperties.McpServer settings = connections.servers().get(server);
			return switch (settings == null ? ToolProperties.Confirm.ALWAYS : settings.confirm()) {
				case ALWAYS -> true;
				case NEVER -> false;
				case SIDE_EFFECTS ->
					tool.annotations() == null || !Boolean.TRUE.equals(tool.annotations().readOnlyHint());
			};
		}

		@Override
		public ToolOutcome run(String arguments, ToolContext context) {
			Map<String, Object> args = json.convertValue(ToolArguments.read(arguments).tree(), OBJECT);
			McpConnections.Connection connection = connections.connection(server);
			if (connection == null) {
				throw new ToolFailure("The tool server " + server + " cannot be reached right now.");
			}
			McpSchema.CallToolResult result;
			try {
				result = connection.client().callTool(new McpSchema.CallToolRequest(tool.name(), args));
			}
			catch (RuntimeException broken) {
				connections.broken(server, connection);
				throw new ToolFailure("The tool server " + server + " failed: " + broken.getMessage(), broken);
			}
			String text = text(result);
			if (Boolean.TRUE.equals(result.isError())) {
				throw new ToolFailure(text.isBlank() ? "The tool reported an error." : text);
			}
			return ToolOutcome.of(text);
		}

		private String text(McpSchema.CallToolResult result) {
			StringBuilder text = new StringBuilder();
			for (McpSchema.Content content : result.content() == null ? List.<McpSchema.Content>of()
					: result.content()) {
				if (!text.isEmpty()) {
					text.append('\n');
				}
				switch (content) {
					case McpSchema.TextContent part -> text.append(part.text());
					case McpSchema.ImageContent image ->
						text.append("[an image, ").append(image.mimeType()).append(']');
					default -> text.append('[').append(content.type()).append(" content]");
				}
			}
			if (text.isEmpty() && result.structuredContent() != null) {
				try {
					text.append(json.writeValueAsString(result.structuredContent()));
				}
				catch (IOException ignored) {
					// nothing to show
				}
			}
			return text.toString();
		}

	}

}
