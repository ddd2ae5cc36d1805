package io.switchboard.assistant;

import java.util.List;

import io.switchboard.conversation.Session;
import io.switchboard.conversation.User;

/**
 * {@code /session tools ...}: which tool servers a session uses. Provided by the module
 * that knows the servers; without one the command says there are none.
 */
public interface SessionTools {

	/**
	 * Carries out {@code /session tools <argument>} for the session (list, or turn a
	 * server on or off).
	 */
	Reply handle(User user, Session session, String argument);

	/** The tool servers as a session's settings show them, by name. */
	List<Server> servers(Session session);

	/**
	 * Turns a server on or off for the session, as {@code /session tools on|off} does.
	 * @throws io.switchboard.conversation.ConversationException.Invalid for a server that
	 * does not exist or that users may not choose, or a user who does not own the
	 * session; then nothing changes
	 */
	void choose(User user, Session session, String server, boolean on);

	/**
	 * A tool server as a session sees it.
	 *
	 * @param description the admin's line on it, or {@code null}
	 * @param on whether the session uses it
	 * @param choosable whether users may turn it on and off (else the admin decides)
	 */
	record Server(String name, String description, boolean on, boolean choosable) {
	}

}
