package io.switchboard.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.switchboard.conversation.UserId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code api_keys} table; the same SQL on SQLite and PostgreSQL. */
@Repository
class ApiKeyStore {

	private static final String COLUMNS = "id, user_id, name, key_hint, allowed_models, requests_per_minute, "
			+ "tokens_per_day, spend_per_month_nanos, created_at, revoked_at";

	private final JdbcClient jdbc;

	ApiKeyStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	ApiKey insert(UserId user, String name, String hash, String hint, ApiKey.Limits limits, Instant now) {
		long id = jdbc.sql("""
				INSERT INTO api_keys (user_id, name, key_hash, key_hint, allowed_models, requests_per_minute,
				                      tokens_per_day, spend_per_month_nanos, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
			.params(user.value(), name, hash, hint,
					limits.allowedModels().isEmpty() ? null
							: limits.allowedModels().stream().sorted().collect(Collectors.joining(",")),
					limits.requestsPerMinute(), limits.tokensPerDay(), limits.spendPerMonthNanos(), now.toEpochMilli())
			.query(Long.class)
			.single();
		return find(id).orElseThrow();
	}

	Optional<ApiKey> find(long id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?")
			.param(id)
			.query(ApiKeyStore::row)
			.optional();
	}

	Optional<ApiKey> findByHash(String hash) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?")
			.param(hash)
			.query(ApiKeyStore::row)
			.optional();
	}

	String hashOf(long id) {
		return jdbc.sql("SELECT key_hash FROM api_keys WHERE id = ?").param(id).query(String.class).single();
	}

	List<ApiKey> forUser(UserId user) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE user_id = ? ORDER BY created_at DESC, id DESC")
			.param(user.value())
			.query(ApiKeyStore::row)
			.list();
	}

	List<ApiKey> all() {
		return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at DESC, id DESC")
			.query(ApiKeyStore::row)
			.list();
	}

	/** Marks a key revoked; false when it was revoked already. */
	boolean revoke(long id, Instant now) {
		return jdbc.sql("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
			.params(now.toEpochMilli(), id)
			.update() == 1;
	}

	private static ApiKey row(ResultSet row, int i) throws SQLException {
		String models = row.getString("allowed_models");
		long revoked = row.getLong("revoked_at");
		boolean notRevoked = row.wasNull();
		return new ApiKey(row.getLong("id"), new UserId(row.getLong("user_id")), row.getString("name"),
				row.getString("key_hint"),
				models == null || models.isBlank() ? Set.of() : Set.copyOf(Arrays.asList(models.split(","))),
				nullableInt(row, "requests_per_minute"), nullableLong(row, "tokens_per_day"),
				nullableLong(row, "spend_per_month_nanos"), Instant.ofEpochMilli(row.getLong("created_at")),
				notRevoked ? null : Instant.ofEpochMilli(revoked));
	}

	private static Integer nullableInt(ResultSet row, String column) throws SQLException {
		int value = row.getInt(column);
		return row.wasNull() ? null : value;
	}

	private static Long nullableLong(ResultSet row, String column) throws SQLException {
		long value = row.getLong(column);
		return row.wasNull() ? null : value;
	}

}
