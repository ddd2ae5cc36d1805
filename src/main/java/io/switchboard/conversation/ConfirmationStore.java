package io.switchboard.conversation;

import java.time.Instant;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Destructive actions waiting for the user to confirm them. */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "jdbc", matchIfMissing = true)
class ConfirmationStore implements ConfirmationStorage {

	private final JdbcClient jdbc;

	ConfirmationStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void put(UserId user, String action, String argument, Instant expiresAt) {
		jdbc.sql("DELETE FROM pending_confirmations WHERE user_id = ? AND action = ?")
			.params(user.value(), action)
			.update();
		jdbc.sql("INSERT INTO pending_confirmations (user_id, action, argument, expires_at) VALUES (?, ?, ?, ?)")
			.params(user.value(), action, argument, expiresAt.toEpochMilli())
			.update();
	}

	/**
	 * Takes the pending confirmation if it matches and has not expired; true if one was
	 * taken.
	 */
	public boolean take(UserId user, String action, String argument, Instant now) {
		int taken = jdbc.sql("""
				DELETE FROM pending_confirmations
				 WHERE user_id = ? AND action = ? AND argument = ? AND expires_at >= ?""")
			.params(user.value(), action, argument, now.toEpochMilli())
			.update();
		return taken > 0;
	}

	@Override
	public java.util.SortedMap<String, String> pending(UserId user, String actionPrefix, Instant now) {
		java.util.SortedMap<String, String> found = new java.util.TreeMap<>();
		jdbc.sql("""
				SELECT action, argument FROM pending_confirmations
				 WHERE user_id = ? AND expires_at >= ? AND substr(action, 1, ?) = ?""")
			.params(user.value(), now.toEpochMilli(), actionPrefix.length(), actionPrefix)
			.query((row, i) -> found.put(row.getString(1), row.getString(2)))
			.list();
		return found;
	}

	public void cancel(UserId user, String action) {
		jdbc.sql("DELETE FROM pending_confirmations WHERE user_id = ? AND action = ?")
			.params(user.value(), action)
			.update();
	}

}
