package io.switchboard.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.stereotype.Service;

/** Adds calls to the per-user, per-model, per-day ledger and reads it back. */
@Service
public class UsageLedger {

	private final LedgerStorage storage;

	UsageLedger(LedgerStorage storage) {
		this.storage = storage;
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
		storage.add(userId, model, day(at), requests, tokensIn, tokensOut, costNanos);
	}

	/** A user's rows between two days, both included, oldest first. */
	public List<UsageRow> forUser(long userId, LocalDate from, LocalDate to) {
		return storage.forUser(userId, from, to);
	}

	static LocalDate day(Instant at) {
		return LocalDate.ofInstant(at, ZoneOffset.UTC);
	}

}
