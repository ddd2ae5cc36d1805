package io.switchboard.assistant;

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

}
