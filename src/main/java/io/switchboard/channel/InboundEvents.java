package io.switchboard.channel;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The platform events taken in, by their de-duplication key: a redelivery, a retry or a
 * second event for the same message finds its key here, also after a restart.
 */
@Repository
class InboundEvents {

	private final JdbcClient jdbc;

	InboundEvents(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Records a key; false when it was recorded before. */
	boolean record(String platform, String key, long now) {
		return jdbc.sql("""
				INSERT INTO inbound_events (platform, event_id, received_at) VALUES (?, ?, ?)
				ON CONFLICT (platform, event_id) DO NOTHING""").params(platform, key, now).update() == 1;
	}

	boolean seen(String platform, String key) {
		return jdbc.sql("SELECT COUNT(*) FROM inbound_events WHERE platform = ? AND event_id = ?")
			.params(platform, key)
			.query(Integer.class)
			.single() > 0;
	}

	/** Forgets keys recorded before {@code before}. */
	int forget(long before) {
		return jdbc.sql("DELETE FROM inbound_events WHERE received_at < ?").param(before).update();
	}

}
