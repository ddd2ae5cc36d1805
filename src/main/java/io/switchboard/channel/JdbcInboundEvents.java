package io.switchboard.channel;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Event keys in the SQL database's {@code inbound_events} table, recorded in the intake's
 * transaction: a unit that rolls back leaves no key.
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "jdbc", matchIfMissing = true)
class JdbcInboundEvents implements InboundEvents {

	private final JdbcClient jdbc;

	JdbcInboundEvents(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public boolean record(String platform, String key, long now) {
		return jdbc.sql("""
				INSERT INTO inbound_events (platform, event_id, received_at) VALUES (?, ?, ?)
				ON CONFLICT (platform, event_id) DO NOTHING""").params(platform, key, now).update() == 1;
	}

	@Override
	public boolean seen(String platform, String key) {
		return jdbc.sql("SELECT COUNT(*) FROM inbound_events WHERE platform = ? AND event_id = ?")
			.params(platform, key)
			.query(Integer.class)
			.single() > 0;
	}

	@Override
	public int forget(long before) {
		return jdbc.sql("DELETE FROM inbound_events WHERE received_at < ?").param(before).update();
	}

}
