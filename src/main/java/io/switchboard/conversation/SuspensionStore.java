package io.switchboard.conversation;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Suspensions in the SQL database's {@code user_suspensions} table. */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "jdbc", matchIfMissing = true)
class SuspensionStore implements SuspensionStorage {

	private final JdbcClient jdbc;

	SuspensionStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public boolean isSuspended(UserId user) {
		return jdbc.sql("SELECT COUNT(*) FROM user_suspensions WHERE user_id = ?")
			.param(user.value())
			.query(Long.class)
			.single() > 0;
	}

	@Override
	public void add(UserId user, UserId by, long at) {
		jdbc.sql("""
				INSERT INTO user_suspensions (user_id, suspended_by, suspended_at) VALUES (?, ?, ?)
				ON CONFLICT (user_id) DO NOTHING""").params(user.value(), by.value(), at).update();
	}

	@Override
	public void remove(UserId user) {
		jdbc.sql("DELETE FROM user_suspensions WHERE user_id = ?").param(user.value()).update();
	}

}
