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
	public void add(long userId, String model, LocalDate day, long requests, long tokensIn, long tokensOut,
			long costNanos) {
		jdbc.sql("""
				INSERT INTO usage_ledger (user_id, model, day, requests, tokens_in, tokens_out, cost_nanos)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (user_id, model, day) DO UPDATE SET
				    requests = usage_ledger.requests + excluded.requests,
				    tokens_in = usage_ledger.tokens_in + excluded.tokens_in,
				    tokens_out = usage_ledger.tokens_out + excluded.tokens_out,
				    cost_nanos = usage_ledger.cost_nanos + excluded.cost_nanos""")
			.params(userId, model, day.toString(), requests, tokensIn, tokensOut, costNanos)
			.update();
	}

	@Override
	public List<UsageRow> forUser(long userId, LocalDate from, LocalDate to) {
		return jdbc.sql("""
				SELECT user_id, model, day, requests, tokens_in, tokens_out, cost_nanos FROM usage_ledger
				 WHERE user_id = ? AND day >= ? AND day <= ?
				 ORDER BY day, model""")
			.params(userId, from.toString(), to.toString())
			.query((row, i) -> new UsageRow(row.getLong(1), row.getString(2), LocalDate.parse(row.getString(3)),
					row.getLong(4), row.getLong(5), row.getLong(6), row.getLong(7)))
			.list();
	}

}
