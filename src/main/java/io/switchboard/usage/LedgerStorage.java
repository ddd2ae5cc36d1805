package io.switchboard.usage;

import java.time.LocalDate;
import java.util.List;

/**
 * The storage port of the usage ledger: SQL ({@link JdbcLedger}) or DynamoDB
 * ({@link DynamoLedger}), chosen by {@code switchboard.storage.type}.
 */
interface LedgerStorage {

	/**
	 * Adds calls to a user's row for a model and day, atomically: concurrent calls never
	 * lose a count.
	 */
	void add(long userId, String model, LocalDate day, long requests, long tokensIn, long tokensOut, long costNanos);

	/** A user's rows between two days, both included, by day and then model. */
	List<UsageRow> forUser(long userId, LocalDate from, LocalDate to);

}
