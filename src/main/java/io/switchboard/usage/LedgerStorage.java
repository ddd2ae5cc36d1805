package io.switchboard.usage;

import java.time.LocalDate;
import java.util.List;

/**
 * The storage port of the usage ledger: SQL ({@link JdbcLedger}) or DynamoDB
 * ({@link DynamoLedger}), chosen by {@code switchboard.storage.type}.
 */
interface LedgerStorage {

	/**
	 * Adds calls to a user's row for a model, day and purpose, atomically: concurrent
	 * calls never lose a count.
	 */
	void add(long userId, String model, LocalDate day, UsagePurpose purpose, long requests, long tokensIn,
			long tokensOut, long tokensCached, long costNanos);

	/**
	 * Adds one call to a speech model to the user's chat row for that model and day: one
	 * request, its cost and seconds of audio, no tokens.
	 */
	void addAudio(long userId, String model, LocalDate day, long requests, long seconds, long costNanos);

	/** Seconds of audio a user's speech models heard on one day. */
	long audioSeconds(long userId, LocalDate day);

	/**
	 * A user's rows between two days, both included, by day, then model, then purpose.
	 */
	List<UsageRow> forUser(long userId, LocalDate from, LocalDate to);

	/**
	 * Everyone's rows between two days, both included, by day, then model, then user,
	 * then purpose.
	 */
	List<UsageRow> forEveryone(LocalDate from, LocalDate to);

}
