package io.switchboard.channel.discord;

import java.time.Clock;
import java.time.Duration;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Leases on gateway shards, kept in the shared database, so that each shard is connected
 * by exactly one node: a node holds a shard while its row names it and has not expired,
 * renews the row well before it expires, and any node may take an expired row over. Every
 * step is one statement, so two nodes racing for a shard cannot both win.
 */
@Component
class GatewayLeases {

	private final JdbcClient jdbc;

	private final Clock clock;

	GatewayLeases(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Takes the shard's lease when it is free or expired, or renews it when this holder
	 * has it already.
	 * @return whether {@code holder} now holds the shard
	 */
	boolean tryAcquire(int shard, String holder, Duration ttl) {
		long now = clock.millis();
		int changed = jdbc.sql("""
				INSERT INTO discord_gateway_leases (shard_id, holder, expires_at) VALUES (?, ?, ?)
				ON CONFLICT (shard_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
				WHERE discord_gateway_leases.holder = excluded.holder OR discord_gateway_leases.expires_at <= ?""")
			.params(shard, holder, now + ttl.toMillis(), now)
			.update();
		return changed == 1;
	}

	/**
	 * Extends the holder's lease. A lease that expired unnoticed is taken again when
	 * nobody else took it meanwhile: nobody else can have connected the shard without
	 * holding it.
	 * @return false when another node holds the shard now: this holder must disconnect at
	 * once
	 */
	boolean renew(int shard, String holder, Duration ttl) {
		return tryAcquire(shard, holder, ttl);
	}

	/** Gives the lease up, so another node may connect the shard without waiting. */
	void release(int shard, String holder) {
		jdbc.sql("DELETE FROM discord_gateway_leases WHERE shard_id = ? AND holder = ?").params(shard, holder).update();
	}

	/** The node holding the shard now, if any. */
	java.util.Optional<String> holder(int shard) {
		return jdbc.sql("SELECT holder FROM discord_gateway_leases WHERE shard_id = ? AND expires_at > ?")
			.params(shard, clock.millis())
			.query(String.class)
			.optional();
	}

}
