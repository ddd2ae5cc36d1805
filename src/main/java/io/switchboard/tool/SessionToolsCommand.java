package io.switchboard.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.switchboard.assistant.Reply;
import io.switchboard.assistant.SessionTools;
import io.switchboard.assistant.ToolProperties;
import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.User;

import org.springframework.stereotype.Component;

/**
 * {@code /session tools [on|off <server>]}: lists the MCP servers and which the current
 * session uses, or turns one on or off (the session's owner only, and only servers the
 * admin opened to users).
 */
@Component
class SessionToolsCommand implements SessionTools {

	private final ToolProperties properties;

	private final SessionToolServers servers;

	SessionToolsCommand(ToolProperties properties, SessionToolServers servers) {
		this.properties = properties;
		this.servers = servers;
	}

	@Override
	public Reply handle(User user, Session session, String argument) {
		String[] words = argument == null ? new String[0] : argument.strip().split("\\s+");
		String verb = words.length == 0 ? "" : words[0].toLowerCase(Locale.ROOT);
		return switch (verb) {
			case "", "list" -> list(session);
			case "on", "off", "enable", "disable" -> {
				if (words.length != 2) {
					throw new ConversationException.Invalid("Usage: `/session tools on <server>` or `off <server>`.");
				}
				yield chosen(user, session, words[1], verb.equals("on") || verb.equals("enable"));
			}
			default -> throw new ConversationException.Invalid(
					"Usage: `/session tools` lists the tool servers; `/session tools on <server>` or `off <server>`.");
		};
	}

	private Reply list(Session session) {
		if (properties.mcp().isEmpty()) {
			return Reply.of("No tool servers (MCP) are configured on this server. The built-in tools are always "
					+ "available to models that support tools.");
		}
		List<String> on = servers.enabled(session.id());
		StringBuilder text = new StringBuilder("**Tool servers** for session " + session.id() + ":\n");
		List<Reply.Action> actions = new ArrayList<>();
		for (Map.Entry<String, ToolProperties.McpServer> server : properties.mcp()
			.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.toList()) {
			boolean enabled = on.contains(server.getKey());
			text.append("`").append(server.getKey()).append("` ").append(enabled ? "on" : "off");
			if (server.getValue().description() != null) {
				text.append(" — ").append(server.getValue().description());
			}
			if (!server.getValue().users()) {
				text.append(" (set by the admin)");
			}
			else {
				actions.add(enabled
						? Reply.Action.of("Turn off " + server.getKey(), "/session tools off " + server.getKey())
						: Reply.Action.primary("Turn on " + server.getKey(), "/session tools on " + server.getKey()));
			}
			text.append('\n');
		}
		return new Reply(text.toString().strip(), actions);
	}

	@Override
	public List<Server> servers(Session session) {
		List<String> on = servers.enabled(session.id());
		return properties.mcp()
			.entrySet()
			.stream()
			.sorted(Map.Entry.comparingByKey())
			.map(server -> new Server(server.getKey(), server.getValue().description(), on.contains(server.getKey()),
					server.getValue().users()))
			.toList();
	}

	private Reply chosen(User user, Session session, String name, boolean enabled) {
		choose(user, session, name, enabled);
		return Reply.of("Session " + session.id() + " " + (enabled ? "now uses" : "no longer uses")
				+ " the tool server `" + name + "`.");
	}

	@Override
	public void choose(User user, Session session, String name, boolean enabled) {
		ToolProperties.McpServer server = properties.mcp().get(name);
		if (server == null) {
			throw new ConversationException.Invalid("There is no tool server `" + name + "`. "
					+ (properties.mcp().isEmpty() ? "None are configured." : "Servers: "
							+ String.join(", ", properties.mcp().keySet().stream().sorted().toList()) + "."));
		}
		if (!server.users()) {
			throw new ConversationException.Invalid(
					"The tool server `" + name + "` is set by the admin and cannot be turned on or off.");
		}
		if (!session.isOwnedBy(user.id())) {
			throw new ConversationException.Invalid("Only the session's owner changes which tools it uses.");
		}
		servers.choose(session.id(), name, enabled);
	}

}
