package io.switchboard.channel.discord;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Leases on gateway shards, kept in the shared database, so that each shard is connected
 * by exactly one node: a node holds a shard while its row names it and has not expired,
 * renews the row well before it expires, and any node may take an expired row over. Every
 * step is one statement, so two nodes racing for a shard cannot both win.
 *
 * <p>
 * A timestamp alone does not keep two nodes apart: a holder that pauses past its expiry
 * (a long GC, a slow database) wakes up still connected while another node holds the
 * shard. So each take-over raises the row's epoch, a fencing token: the holder keeps the
 * epoch it got, a renewal succeeds only while the epoch is still its own, and each write
 * it makes for the shard checks the token in the write's own transaction
 * ({@link #fence}).
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
	 * @return the lease's epoch (fencing token) when {@code holder} now holds the shard
	 */
	OptionalLong acquire(int shard, String holder, Duration ttl) {
		long now = clock.millis();
		// the row stays when a lease is given up (see release), so its epoch only grows
		return jdbc.sql("""
				INSERT INTO discord_gateway_leases (shard_id, holder, expires_at, epoch) VALUES (?, ?, ?, 1)
				ON CONFLICT (shard_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
				  epoch = CASE WHEN discord_gateway_leases.holder = excluded.holder THEN discord_gateway_leases.epoch
				               ELSE discord_gateway_leases.epoch + 1 END
				WHERE discord_gateway_leases.holder = excluded.holder OR discord_gateway_leases.expires_at <= ?
				RETURNING epoch""")
			.params(shard, holder, now + ttl.toMillis(), now)
			.query(Long.class)
			.optional()
			.map(OptionalLong::of)
			.orElse(OptionalLong.empty());
	}

	/** Whether {@code holder} now holds the shard (see {@link #acquire}). */
	boolean tryAcquire(int shard, String holder, Duration ttl) {
		return acquire(shard, holder, ttl).isPresent();
	}

	/**
	 * Extends the holder's lease taken at {@code epoch}. A lease that expired unnoticed
	 * is taken again when nobody else took it meanwhile: nobody else can have connected
	 * the shard without raising the epoch.
	 * @return false when another node holds the shard, or held it since: this holder must
	 * disconnect at once
	 */
	boolean renew(int shard, String holder, long epoch, Duration ttl) {
		OptionalLong now = acquire(shard, holder, ttl);
		return now.isPresent() && now.getAsLong() == epoch;
	}

	/**
	 * Checks, inside the caller's transaction, that {@code holder} still holds the shard
	 * at {@code epoch}. The check writes the row (to the same value), so it holds the
	 * row's lock until the caller commits: a take-over waits for the write, and a write
	 * after a take-over fails here and is rolled back.
	 * @throws FencedOff when another node has taken the shard over
	 */
	void fence(int shard, String holder, long epoch) {
		int held = jdbc
			.sql("UPDATE discord_gateway_leases SET epoch = epoch WHERE shard_id = ? AND holder = ? AND epoch = ?")
			.params(shard, holder, epoch)
			.update();
		if (held != 1) {
			throw new FencedOff(shard, epoch);
		}
	}

	/**
	 * Gives the lease up, so another node may connect the shard without waiting. The row
	 * stays, expired, so that its epoch keeps counting.
	 */
	void release(int shard, String holder) {
		jdbc.sql("UPDATE discord_gateway_leases SET expires_at = 0 WHERE shard_id = ? AND holder = ?")
			.params(shard, holder)
			.update();
	}

	/** The node holding the shard now, if any. */
	Optional<String> holder(int shard) {
		return jdbc.sql("SELECT holder FROM discord_gateway_leases WHERE shard_id = ? AND expires_at > ?")
			.params(shard, clock.millis())
			.query(String.class)
			.optional();
	}

	/** A write for a shard whose lease this node no longer holds: nothing was written. */
	static final class FencedOff extends RuntimeException {

		FencedOff(int shard, long epoch) {
			super("Discord shard " + shard + " was taken over by another node since this node's lease (epoch " + epoch
					+ "); the write was refused");
		}

	}

}
