package io.switchboard.tool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;

import io.switchboard.assistant.ToolProperties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One client per configured MCP server, through the official MCP Java SDK: connected on
 * first use (a stdio server is started then), its tool list read once, and closed at
 * shutdown. A server that cannot be reached is tried again on the next turn, not more
 * often than every {@link #RETRY_AFTER}.
 */
@Component
class McpConnections implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(McpConnections.class);

	static final Duration RETRY_AFTER = Duration.ofSeconds(30);

	/** A connected server and the tools it listed. */
	record Connection(McpSyncClient client, List<McpSchema.Tool> tools) {
	}

	private final ToolProperties properties;

	private final JacksonMcpJsonMapper mapper;

	private final Map<String, Connection> connected = new ConcurrentHashMap<>();

	private final Map<String, Long> failedAt = new ConcurrentHashMap<>();

	McpConnections(ToolProperties properties, ObjectMapper json) {
		this.properties = properties;
		this.mapper = new JacksonMcpJsonMapper(json);
	}

	Map<String, ToolProperties.McpServer> servers() {
		return properties.mcp();
	}

	/** The server's connection, connecting first when needed; {@code null} when down. */
	Connection connection(String server) {
		Connection existing = connected.get(server);
		if (existing != null) {
			return existing;
		}
		ToolProperties.McpServer settings = properties.mcp().get(server);
		if (settings == null) {
			return null;
		}
		Long failed = failedAt.get(server);
		if (failed != null && System.nanoTime() - failed < RETRY_AFTER.toNanos()) {
			return null;
		}
		synchronized (this) {
			existing = connected.get(server);
			if (existing != null) {
				return existing;
			}
			McpSyncClient client = null;
			try {
				client = McpClient.sync(transport(settings))
					.requestTimeout(properties.toolTimeout())
					.initializationTimeout(properties.mcpStartTimeout())
					.clientInfo(new McpSchema.Implementation("switchboard", "1"))
					.build();
				client.initialize();
				List<McpSchema.Tool> tools = new ArrayList<>();
				String cursor = null;
				do {
					McpSchema.ListToolsResult page = client.listTools(cursor);
					tools.addAll(page.tools());
					cursor = page.nextCursor();
				}
				while (cursor != null && !cursor.isEmpty());
				Connection connection = new Connection(client, List.copyOf(tools));
				connected.put(server, connection);
				failedAt.remove(server);
				log.info("MCP server {} connected with {} tools", server, tools.size());
				return connection;
			}
			catch (RuntimeException down) {
				log.warn("MCP server {} cannot be reached: {}", server, down.toString());
				failedAt.put(server, System.nanoTime());
				if (client != null) {
					closeQuietly(client);
				}
				return null;
			}
		}
	}

	/** Forgets a connection that broke, so the next use connects again. */
	void broken(String server, Connection connection) {
		if (connected.remove(server, connection)) {
			closeQuietly(connection.client());
		}
	}

	private McpClientTransport transport(ToolProperties.McpServer settings) {
		if (!settings.command().isEmpty()) {
			ServerParameters parameters = ServerParameters.builder(settings.command().getFirst())
				.args(settings.command().subList(1, settings.command().size()))
				.env(settings.env())
				.build();
			return new StdioClientTransport(parameters, mapper);
		}
		String url = settings.url().toString();
		java.net.URI uri = settings.url();
		String base = uri.getScheme() + "://" + uri.getRawAuthority();
		String endpoint = url.substring(base.length());
		return HttpClientStreamableHttpTransport.builder(base)
			.endpoint(endpoint.isEmpty() ? "/" : endpoint)
			.jsonMapper(mapper)
			.connectTimeout(Duration.ofSeconds(10))
			// the server's keys, on every request
			.httpRequestCustomizer(
					(request, method, endpointUri, body, context) -> settings.headers().forEach(request::setHeader))
			.build();
	}

	private static void closeQuietly(McpSyncClient client) {
		try {
			client.closeGracefully();
		}
		catch (RuntimeException ignored) {
			client.close();
		}
	}

	@Override
	public void destroy() {
		connected.values().forEach(connection -> closeQuietly(connection.client()));
		connected.clear();
	}

}
