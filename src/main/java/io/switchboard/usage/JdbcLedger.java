package io.switchboard.usage;

import java.time.LocalDate;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The ledger in SQL: one upsert per addition, on SQLite and PostgreSQL alike. */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "jdbc", matchIfMissing = true)
class JdbcLedger implements LedgerStorage {

	private final JdbcClient jdbc;

	JdbcLedger(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public void add(long userId, String model, LocalDate day, UsagePurpose purpose, long requests, long tokensIn,
			long tokensOut, long tokensCached, long costNanos) {
		jdbc.sql("""
				INSERT INTO usage_ledger (user_id, model, day, purpose, requests, tokens_in, tokens_out, tokens_cached,
				                          cost_nanos)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (user_id, model, day, purpose) DO UPDATE SET
				    requests = usage_ledger.requests + excluded.requests,
				    tokens_in = usage_ledger.tokens_in + excluded.tokens_in,
				    tokens_out = usage_ledger.tokens_out + excluded.tokens_out,
				    tokens_cached = usage_ledger.tokens_cached + excluded.tokens_cached,
				    cost_nanos = usage_ledger.cost_nanos + excluded.cost_nanos""")
			.params(userId, model, day.toString(), purpose.dbValue(), requests, tokensIn, tokensOut, tokensCached,
					costNanos)
			.update();
	}

	@Override
	public void addAudio(long userId, String model, LocalDate day, long requests, long seconds, long costNanos) {
		jdbc.sql(
				"""
						INSERT INTO usage_ledger (user_id, model, day, purpose, requests, tokens_in, tokens_out, cost_nanos, audio_seconds)
						VALUES (?, ?, ?, 'chat', ?, 0, 0, ?, ?)
						ON CONFLICT (user_id, model, day, purpose) DO UPDATE SET
						    requests = usage_ledger.requests + excluded.requests,
						    cost_nanos = usage_ledger.cost_nanos + excluded.cost_nanos,
						    audio_seconds = usage_ledger.audio_seconds + excluded.audio_seconds""")
			.params(userId, model, day.toString(), requests, costNanos, seconds)
			.update();
	}

	@Override
	public long audioSeconds(long userId, LocalDate day) {
		return jdbc.sql("SELECT COALESCE(SUM(audio_seconds), 0) FROM usage_ledger WHERE user_id = ? AND day = ?")
			.params(userId, day.toString())
			.query(Long.class)
			.single();
	}

	@Override
	public List<UsageRow> forUser(long userId, LocalDate from, LocalDate to) {
		return jdbc.sql("""
				SELECT user_id, model, day, purpose, requests, tokens_in, tokens_out, tokens_cached, cost_nanos
				  FROM usage_ledger
				 WHERE user_id = ? AND day >= ? AND day <= ?
				 ORDER BY day, model, purpose""")
			.params(userId, from.toString(), to.toString())
			.query((row, i) -> new UsageRow(row.getLong(1), row.getString(2), LocalDate.parse(row.getString(3)),
					UsagePurpose.fromDb(row.getString(4)), row.getLong(5), row.getLong(6), row.getLong(7),
					row.getLong(8), row.getLong(9)))
			.list();
	}

	@Override
	public List<UsageRow> forEveryone(LocalDate from, LocalDate to) {
		return jdbc.sql("""
				SELECT user_id, model, day, purpose, requests, tokens_in, tokens_out, tokens_cached, cost_nanos
				  FROM usage_ledger
				 WHERE day >= ? AND day <= ?
				 ORDER BY day, model, user_id, purpose""")
			.params(from.toString(), to.toString())
			.query((row, i) -> new UsageRow(row.getLong(1), row.getString(2), LocalDate.parse(row.getString(3)),
					UsagePurpose.fromDb(row.getString(4)), row.getLong(5), row.getLong(6), row.getLong(7),
					row.getLong(8), row.getLong(9)))
			.list();
	}

}
