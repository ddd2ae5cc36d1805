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
	 * Adds one call made for {@code purpose}, {@code tokensCached} of its input read from
	 * the provider's prompt cache.
	 */
	public void record(long userId, String model, UsagePurpose purpose, int tokensIn, int tokensOut, int tokensCached,
			long costNanos, Instant at) {
		record(userId, model, purpose, 1, tokensIn, tokensOut, tokensCached, costNanos, at);
	}

	/**
	 * Adds several calls of one user and model on the day of {@code at} at once, for
	 * callers that record in batches (the API gateway).
	 */
	public void record(long userId, String model, long requests, long tokensIn, long tokensOut, long costNanos,
			Instant at) {
		record(userId, model, UsagePurpose.CHAT, requests, tokensIn, tokensOut, 0, costNanos, at);
	}

	private void record(long userId, String model, UsagePurpose purpose, long requests, long tokensIn, long tokensOut,
			long tokensCached, long costNanos, Instant at) {
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
			.params(userId, model, day(at).toString(), purpose.dbValue(), requests, tokensIn, tokensOut, tokensCached,
					costNanos)
			.update();
	}

	/**
	 * Adds one call to a speech model, billed by the second of audio: one request and its
	 * seconds, no tokens.
	 */
	public void recordAudio(long userId, String model, long seconds, long costNanos, Instant at) {
		jdbc.sql(
				"""
						INSERT INTO usage_ledger (user_id, model, day, purpose, requests, tokens_in, tokens_out, cost_nanos, audio_seconds)
						VALUES (?, ?, ?, 'chat', 1, 0, 0, ?, ?)
						ON CONFLICT (user_id, model, day, purpose) DO UPDATE SET
						    requests = usage_ledger.requests + 1,
						    cost_nanos = usage_ledger.cost_nanos + excluded.cost_nanos,
						    audio_seconds = usage_ledger.audio_seconds + excluded.audio_seconds""")
			.params(userId, model, day(at).toString(), costNanos, seconds)
			.update();
	}

	/** Seconds of audio a user's speech models heard on one day. */
	public long audioSeconds(long userId, LocalDate day) {
		return jdbc.sql("SELECT COALESCE(SUM(audio_seconds), 0) FROM usage_ledger WHERE user_id = ? AND day = ?")
			.params(userId, day.toString())
			.query(Long.class)
			.single();
	}

	/**
	 * A user's rows between two days, both included, oldest first (by model, then
	 * purpose).
	 */
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

	/** Everyone's rows between two days, both included, oldest first (for admins). */
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

	static LocalDate day(Instant at) {
		return LocalDate.ofInstant(at, ZoneOffset.UTC);
	}

}
