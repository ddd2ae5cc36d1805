package io.switchboard.tool;

import java.util.ArrayList;
import java.util.List;

import io.switchboard.assistant.AssistantTool;
import io.switchboard.assistant.ToolProperties;

import org.springframework.stereotype.Component;

/**
 * A configured MCP server's tools by the server's name, for a caller that names the
 * server itself rather than going by a session's choice (the {@code /v1} gateway, whose
 * clients name servers in their requests). The admin's rules are the sessions': only a
 * server users may turn on ({@code users}) is given out.
 */
@Component
public class McpServerTools {

	private final McpConnections connections;

	private final McpToolSource source;

	McpServerTools(McpConnections connections, McpToolSource source) {
		this.connections = connections;
		this.source = source;
	}

	/** What asking for a server came to. */
	public sealed interface Offer {

	}

	/** No server of that name is configured. */
	public record Unknown(String server) implements Offer {
	}

	/** The admin did not open the server to users. */
	public record NotForUsers(String server) implements Offer {
	}

	/** The server is configured but cannot be reached now. */
	public record Unreachable(String server) implements Offer {
	}

	/** The server's tools, in the order it listed them. */
	public record Tools(String server, List<ServerTool> tools) implements Offer {
	}

	/**
	 * One of a server's tools.
	 *
	 * @param name the tool's name on its server
	 * @param tool the tool as models see it ({@code server__name})
	 */
	public record ServerTool(String name, AssistantTool tool) {
	}

	public Offer offer(String server) {
		ToolProperties.McpServer settings = connections.servers().get(server);
		if (settings == null) {
			return new Unknown(server);
		}
		if (!settings.users()) {
			return new NotForUsers(server);
		}
		McpConnections.Connection connection = connections.connection(server);
		if (connection == null) {
			return new Unreachable(server);
		}
		List<ServerTool> tools = new ArrayList<>();
		for (var tool : connection.tools()) {
			String name = McpToolSource.toolName(server, tool.name());
			if (name != null) {
				tools.add(new ServerTool(tool.name(), source.tool(server, tool, name)));
			}
		}
		return new Tools(server, List.copyOf(tools));
	}

	/** The servers users may turn on, by name, sorted. */
	public List<String> open() {
		return connections.servers()
			.entrySet()
			.stream()
			.filter(e -> e.getValue().users())
			.map(e -> e.getKey())
			.sorted()
			.toList();
	}

}
