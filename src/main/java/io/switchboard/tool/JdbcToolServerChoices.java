package io.switchboard.tool;

import java.util.HashMap;
import java.util.Map;

import io.switchboard.conversation.SessionId;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Choices in the SQL database's {@code session_tool_servers} table. */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "jdbc", matchIfMissing = true)
class JdbcToolServerChoices implements ToolServerChoices {

	private final JdbcClient jdbc;

	JdbcToolServerChoices(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Map<String, Boolean> choices(SessionId session) {
		Map<String, Boolean> chosen = new HashMap<>();
		jdbc.sql("SELECT server, enabled FROM session_tool_servers WHERE session_id = ?")
			.param(session.value())
			.query((row, i) -> chosen.put(row.getString(1), row.getBoolean(2)))
			.list();
		return chosen;
	}

	@Override
	public void choose(SessionId session, String server, boolean enabled) {
		jdbc.sql("""
				INSERT INTO session_tool_servers (session_id, server, enabled) VALUES (?, ?, ?)
				ON CONFLICT (session_id, server) DO UPDATE SET enabled = excluded.enabled""")
			.params(session.value(), server, enabled)
			.update();
	}

}
