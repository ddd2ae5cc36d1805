package io.switchboard.channel;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Deliveries in the SQL database's {@code channel_deliveries} table: each change is one
 * statement whose condition says when it applies.
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "jdbc", matchIfMissing = true)
class JdbcDeliveryStore implements DeliveryStore {

	private static final String COLUMNS = """
			id, platform, dedup_key, lane, address, content, state, version, refs, shown, attempts, next_at, sent_at,
			claimed_by, claimed_until
			""";

	private static final RowMapper<Row> ROW = JdbcDeliveryStore::map;

	private final JdbcClient jdbc;

	JdbcDeliveryStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Adds a delivery; empty when one with the same key exists already (its content is
	 * left as it is).
	 * @param claimedBy the node that will send it at once, which claims it from the start
	 * (no other sender takes it until {@code claimedUntil}); {@code null} for none
	 */
	@Override
	public Optional<Long> insert(String platform, String key, String lane, String address, String content, String state,
			String claimedBy, Long claimedUntil, long now) {
		return jdbc.sql("""
				INSERT INTO channel_deliveries (platform, dedup_key, lane, address, content, state, next_at, claimed_by,
				                                claimed_until, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (platform, dedup_key) DO NOTHING
				RETURNING id""")
			.params(platform, key, lane, address, content, state, now, claimedBy, claimedUntil, now, now)
			.query(Long.class)
			.optional();
	}

	/**
	 * Adds a delivery or, when it exists, marks it changed: due again (no sooner than
	 * {@code pace} after its last send, unless {@code urgent}), one version further.
	 * @return its id
	 */
	@Override
	public long upsertChanged(String platform, String key, String lane, String address, String content, boolean urgent,
			long paceMillis, long now) {
		return jdbc.sql("""
				INSERT INTO channel_deliveries (platform, dedup_key, lane, address, content, state, next_at, created_at,
				                                updated_at)
				VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)
				ON CONFLICT (platform, dedup_key) DO UPDATE
				   SET state = 'pending', version = channel_deliveries.version + 1, attempts = 0, last_error = NULL,
				       next_at = CASE WHEN ? OR channel_deliveries.sent_at IS NULL
				                        OR channel_deliveries.sent_at + ? <= ? THEN ?
				                      ELSE channel_deliveries.sent_at + ? END,
				       updated_at = ?
				RETURNING id""")
			.params(platform, key, lane, address, content, now, now, now, urgent, paceMillis, now, now, paceMillis, now)
			.query(Long.class)
			.single();
	}

	@Override
	public Optional<Long> findId(String platform, String key) {
		return jdbc.sql("SELECT id FROM channel_deliveries WHERE platform = ? AND dedup_key = ?")
			.params(platform, key)
			.query(Long.class)
			.optional();
	}

	@Override
	public Optional<Row> find(long id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM channel_deliveries WHERE id = ?").param(id).query(ROW).optional();
	}

	/**
	 * Makes a held answer due (its turn has settled it), claimed by the node that will
	 * send it at once, or by none; returns its lane, empty when it was not held.
	 */
	@Override
	public Optional<String> release(long id, String claimedBy, Long claimedUntil, long now) {
		return jdbc.sql("""
				UPDATE channel_deliveries SET state = 'pending', next_at = ?, updated_at = ?, claimed_by = ?,
				                              claimed_until = ?
				 WHERE id = ? AND state = ?
				RETURNING lane""").params(now, now, claimedBy, claimedUntil, id, HELD).query(String.class).optional();
	}

	/** Keeps what a live view posted, so the delivery edits it. */
	@Override
	public void saveRefs(long id, String refs, long now) {
		jdbc.sql("UPDATE channel_deliveries SET refs = ?, updated_at = ? WHERE id = ?").params(refs, now, id).update();
	}

	/**
	 * Claims a due delivery for one send; false when it is not due, already sent, or held
	 * by another sender whose claim has not run out.
	 */
	@Override
	public boolean claim(long id, String node, long until, long now) {
		return jdbc
			.sql("""
					UPDATE channel_deliveries SET claimed_by = ?, claimed_until = ?
					 WHERE id = ? AND state = 'pending' AND next_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)""")
			.params(node, until, id, now, now)
			.update() == 1;
	}

	/**
	 * Records a send the platform took. The row is done unless its content changed during
	 * the send (a newer version), which is then due at {@code againAt}.
	 */
	@Override
	public void sent(long id, int version, String refs, String shown, long againAt, long now) {
		jdbc.sql("""
				UPDATE channel_deliveries
				   SET state = CASE WHEN version = ? THEN 'sent' ELSE 'pending' END,
				       next_at = CASE WHEN version = ? THEN next_at ELSE ? END,
				       refs = ?, shown = ?, attempts = 0, last_error = NULL, sent_at = ?, updated_at = ?,
				       claimed_by = NULL, claimed_until = NULL
				 WHERE id = ?""").params(version, version, againAt, refs, shown, now, now, id).update();
	}

	/** A send failed for now: tried again at {@code nextAt}. */
	@Override
	public void retry(long id, int attempts, long nextAt, String error, long now) {
		jdbc.sql("""
				UPDATE channel_deliveries SET attempts = ?, next_at = ?, last_error = ?, updated_at = ?,
				                              claimed_by = NULL, claimed_until = NULL
				 WHERE id = ?""").params(attempts, nextAt, DeliveryStore.abbreviate(error), now, id).update();
	}

	/**
	 * Gives a delivery up: the platform refused it for good, or too many attempts failed.
	 */
	@Override
	public void fail(long id, String error, long now) {
		jdbc.sql("""
				UPDATE channel_deliveries SET state = 'failed', last_error = ?, updated_at = ?,
				                              claimed_by = NULL, claimed_until = NULL
				 WHERE id = ?""").params(DeliveryStore.abbreviate(error), now, id).update();
	}

	/** Ends a delivery with nothing to show (its answer or job is gone). */
	@Override
	public void drop(long id, long now) {
		jdbc.sql("""
				UPDATE channel_deliveries SET state = 'sent', updated_at = ?, claimed_by = NULL, claimed_until = NULL
				 WHERE id = ?""").params(now, id).update();
	}

	/**
	 * Deliveries due now on the given platforms and not claimed, oldest first, with their
	 * lanes.
	 */
	@Override
	public List<Due> due(Collection<String> platforms, long now, int limit) {
		if (platforms.isEmpty()) {
			return List.of();
		}
		String in = String.join(", ", platforms.stream().map(platform -> "?").toList());
		List<Object> params = new java.util.ArrayList<>();
		params.add(now);
		params.add(now);
		params.addAll(platforms);
		params.add(limit);
		return jdbc.sql("""
				SELECT id, lane FROM channel_deliveries
				 WHERE state = 'pending' AND next_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
				   AND platform IN (%s)
				 ORDER BY id LIMIT ?""".formatted(in))
			.params(params)
			.query((row, i) -> new Due(row.getLong(1), row.getString(2)))
			.list();
	}

	/** Forgets finished deliveries last changed before {@code before}. */
	@Override
	public int forget(long before) {
		return jdbc.sql("DELETE FROM channel_deliveries WHERE state IN ('sent', 'failed') AND updated_at < ?")
			.param(before)
			.update();
	}

	private static Row map(ResultSet row, int index) throws SQLException {
		long sentAt = row.getLong("sent_at");
		Long sent = row.wasNull() ? null : sentAt;
		return new Row(row.getLong("id"), row.getString("platform"), row.getString("dedup_key"), row.getString("lane"),
				row.getString("address"), row.getString("content"), row.getString("state"), row.getInt("version"),
				row.getString("refs"), row.getString("shown"), row.getInt("attempts"), row.getLong("next_at"), sent,
				row.getString("claimed_by"), row.getLong("claimed_until"));
	}

}
