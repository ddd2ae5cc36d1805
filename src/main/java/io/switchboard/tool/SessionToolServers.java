package io.switchboard.tool;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.switchboard.assistant.ToolProperties;
import io.switchboard.conversation.SessionId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which MCP servers each session uses: a server's default unless the session's owner
 * chose otherwise (kept in {@code session_tool_servers}), and never one the admin did not
 * open to users unless it is on by default.
 */
@Component
class SessionToolServers {

	private final JdbcClient jdbc;

	private final ToolProperties properties;

	SessionToolServers(JdbcClient jdbc, ToolProperties properties) {
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/** The servers the session uses, by name, in configuration order. */
	List<String> enabled(SessionId session) {
		if (properties.mcp().isEmpty()) {
			return List.of();
		}
		Map<String, Boolean> chosen = choices(session);
		return properties.mcp()
			.entrySet()
			.stream()
			.filter(server -> server.getValue().users()
					? chosen.getOrDefault(server.getKey(), server.getValue().enabledByDefault())
					: server.getValue().enabledByDefault())
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
	}

	Map<String, Boolean> choices(SessionId session) {
		Map<String, Boolean> chosen = new HashMap<>();
		jdbc.sql("SELECT server, enabled FROM session_tool_servers WHERE session_id = ?")
			.param(session.value())
			.query((row, i) -> chosen.put(row.getString(1), row.getBoolean(2)))
			.list();
		return chosen;
	}

	void choose(SessionId session, String server, boolean enabled) {
		jdbc.sql("""
				INSERT INTO session_tool_servers (session_id, server, enabled) VALUES (?, ?, ?)
				ON CONFLICT (session_id, server) DO UPDATE SET enabled = excluded.enabled""")
			.params(session.value(), server, enabled)
			.update();
	}

}
