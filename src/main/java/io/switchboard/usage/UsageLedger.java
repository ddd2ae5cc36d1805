package io.switchboard.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Adds calls to the per-user, per-model, per-day ledger and reads it back. */
@Service
public class UsageLedger {

	private final JdbcClient jdbc;

	UsageLedger(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Adds one call. One upsert, so concurrent calls of a user never lose a count. */
	public void record(long userId, String model, int tokensIn, int tokensOut, long costNanos, Instant at) {
		record(userId, model, 1, tokensIn, tokensOut, costNanos, at);
	}

	/**
	 * Adds several calls of one user and model on the day of {@code at} at once, for
	 * callers that record in batches (the API gateway).
	 */
	public void record(long userId, String model, long requests, long tokensIn, long tokensOut, long costNanos,
			Instant at) {
		jdbc.sql("""
				INSERT INTO usage_ledger (user_id, model, day, requests, tokens_in, tokens_out, cost_nanos)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (user_id, model, day) DO UPDATE SET
				    requests = usage_ledger.requests + excluded.requests,
				    tokens_in = usage_ledger.tokens_in + excluded.tokens_in,
				    tokens_out = usage_ledger.tokens_out + excluded.tokens_out,
				    cost_nanos = usage_ledger.cost_nanos + excluded.cost_nanos""")
			.params(userId, model, day(at).toString(), requests, tokensIn, tokensOut, costNanos)
			.update();
	}

	/** A user's rows between two days, both included, oldest first. */
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

	/** Everyone's rows between two days, both included, oldest first (for admins). */
	public List<UsageRow> forEveryone(LocalDate from, LocalDate to) {
		return jdbc.sql("""
				SELECT user_id, model, day, requests, tokens_in, tokens_out, cost_nanos FROM usage_ledger
				 WHERE day >= ? AND day <= ?
				 ORDER BY day, model, user_id""")
			.params(from.toString(), to.toString())
			.query((row, i) -> new UsageRow(row.getLong(1), row.getString(2), LocalDate.parse(row.getString(3)),
					row.getLong(4), row.getLong(5), row.getLong(6), row.getLong(7)))
			.list();
	}

	static LocalDate day(Instant at) {
		return LocalDate.ofInstant(at, ZoneOffset.UTC);
	}

}
