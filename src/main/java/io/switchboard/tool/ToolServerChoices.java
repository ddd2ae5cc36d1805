package io.switchboard.tool;

import java.util.Map;

import io.switchboard.conversation.SessionId;

/**
 * The storage port for the tool servers a session's owner turned on or off. Adapters:
 * {@link JdbcToolServerChoices} (SQL, {@code session_tool_servers}) and
 * {@link DynamoToolServerChoices}.
 */
interface ToolServerChoices {

	/** The session's choices, by server name: on or off. */
	Map<String, Boolean> choices(SessionId session);

	/** Records a choice, replacing an earlier one for the same server. */
	void choose(SessionId session, String server, boolean enabled);

}
