package io.switchboard.tool;

import java.util.List;
import java.util.Map;

import io.switchboard.assistant.ToolProperties;
import io.switchboard.conversation.SessionId;

import org.springframework.stereotype.Component;

/**
 * Which MCP servers each session uses: a server's default unless the session's owner
 * chose otherwise (kept by {@link ToolServerChoices}), and never one the admin did not
 * open to users unless it is on by default.
 */
@Component
class SessionToolServers {

	private final ToolServerChoices store;

	private final ToolProperties properties;

	SessionToolServers(ToolServerChoices store, ToolProperties properties) {
		this.store = store;
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
		return store.choices(session);
	}

	void choose(SessionId session, String server, boolean enabled) {
		store.choose(session, server, enabled);
	}

}
