package io.switchboard.api;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code api_calls} table: written in batches, read for limits and reports. */
@Repository
class ApiCallStore {

	private final JdbcTemplate batch;

	private final JdbcClient jdbc;

	ApiCallStore(JdbcTemplate batch, JdbcClient jdbc) {
		this.batch = batch;
		this.jdbc = jdbc;
	}

	void insert(List<ApiCall> calls) {
		batch.batchUpdate("""
				INSERT INTO api_calls (key_id, user_id, model, upstream, tokens_in, tokens_out, cost_nanos, latency_ms,
				                       overhead_us, status, streamed, created_at, tokens_cached, charged)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", calls, 500, (statement, call) -> {
			statement.setLong(1, call.keyId());
			statement.setLong(2, call.userId());
			statement.setString(3, call.model());
			statement.setString(4, call.upstream());
			statement.setInt(5, call.tokensIn());
			statement.setInt(6, call.tokensOut());
			statement.setLong(7, call.costNanos());
			statement.setInt(8, call.latencyMillis());
			statement.setInt(9, call.overheadMicros());
			statement.setInt(10, call.status());
			statement.setBoolean(11, call.streamed());
			statement.setLong(12, call.at());
			statement.setInt(13, call.tokensCached());
			statement.setBoolean(14, call.charged());
		});
	}

	/** Tokens in and out of a key's charged calls since a time. */
	long tokensSince(long keyId, long sinceMillis) {
		return tokensSince(List.of(keyId), sinceMillis).getOrDefault(keyId, 0L);
	}

	/**
	 * Tokens in and out of charged calls since a time, per key, for several keys at once
	 * (keys without such calls are left out): what counts against a key's daily tokens.
	 */
	Map<Long, Long> tokensSince(Collection<Long> keyIds, long sinceMillis) {
		return sums("SUM(tokens_in + tokens_out)", keyIds, sinceMillis);
	}

	/** Spend of charged calls since a time, per key, for several keys at once. */
	Map<Long, Long> spendSince(Collection<Long> keyIds, long sinceMillis) {
		return sums("SUM(cost_nanos)", keyIds, sinceMillis);
	}

	private Map<Long, Long> sums(String sum, Collection<Long> keyIds, long sinceMillis) {
		Map<Long, Long> sums = new HashMap<>();
		if (keyIds.isEmpty()) {
			return sums;
		}
		// a failed call is not usage, though it may carry tokens (see ApiCall#charged)
		jdbc.sql("SELECT key_id, " + sum + " FROM api_calls WHERE key_id IN (:keys) AND created_at >= :since"
				+ " AND charged = :charged GROUP BY key_id")
			.param("keys", keyIds)
			.param("since", sinceMillis)
			.param("charged", true)
			.query((row, number) -> sums.put(row.getLong(1), row.getLong(2)))
			.list();
		return sums;
	}

	/** Spend of a key's calls since a time. */
	long spendSince(long keyId, long sinceMillis) {
		return spendSince(List.of(keyId), sinceMillis).getOrDefault(keyId, 0L);
	}

	/** Calls of a key, newest first (tests and the usage page). */
	List<ApiCall> recent(Long userId, int limit) {
		// no "? IS NULL" trick: PostgreSQL cannot type a bare null parameter
		String where = userId == null ? "" : " WHERE user_id = " + userId.longValue();
		return jdbc
			.sql("SELECT key_id, user_id, model, upstream, tokens_in, tokens_out, cost_nanos, latency_ms, "
					+ "overhead_us, status, streamed, created_at, tokens_cached, charged FROM api_calls" + where
					+ " ORDER BY created_at DESC, id DESC LIMIT ?")
			.param(limit)
			.query((row, i) -> new ApiCall(row.getLong(1), row.getLong(2), row.getString(3), row.getString(4),
					row.getInt(5), row.getInt(6), row.getLong(7), row.getInt(8), row.getInt(9), row.getInt(10),
					row.getBoolean(11), row.getLong(12), row.getInt(13), row.getBoolean(14)))
			.list();
	}

	long count() {
		return jdbc.sql("SELECT COUNT(*) FROM api_calls").query(Long.class).single();
	}

	/**
	 * Sums per day and one grouping column ({@code model}, {@code key_id} or
	 * {@code user_id}) since a time, optionally for one user.
	 */
	List<Sum> sums(String groupColumn, Long userId, long sinceMillis) {
		if (!List.of("model", "key_id", "user_id", "day").contains(groupColumn)) {
			throw new IllegalArgumentException(groupColumn);
		}
		String group = groupColumn.equals("day") ? "created_at / 86400000" : groupColumn;
		return jdbc
			.sql("SELECT " + group + " AS g, COUNT(*), SUM(tokens_in), SUM(tokens_out), SUM(cost_nanos), "
					+ "SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), SUM(tokens_cached) FROM api_calls "
					+ "WHERE created_at >= ?" + (userId == null ? "" : " AND user_id = " + userId.longValue())
					+ " GROUP BY " + group + " ORDER BY " + group)
			.param(sinceMillis)
			.query((row, i) -> new Sum(row.getString(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getLong(5),
					row.getLong(6), row.getLong(7)))
			.list();
	}

	/**
	 * Requests, tokens, spend and failures of one group; {@code tokensCached} of the
	 * input was read from the upstreams' prompt caches.
	 */
	record Sum(String group, long requests, long tokensIn, long tokensOut, long costNanos, long failures,
			long tokensCached) {
	}

}
