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

	/**
	 * Adds several calls at once, as above, {@code tokensCached} of their input read from
	 * the providers' prompt caches.
	 */
	public void record(long userId, String model, long requests, long tokensIn, long tokensOut, long tokensCached,
			long costNanos, Instant at) {
		record(userId, model, UsagePurpose.CHAT, requests, tokensIn, tokensOut, tokensCached, costNanos, at);
	}

	private void record(long userId, String model, UsagePurpose purpose, long requests, long tokensIn, long tokensOut,
			long tokensCached, long costNanos, Instant at) {
		storage.add(userId, model, day(at), purpose, requests, tokensIn, tokensOut, tokensCached, costNanos);
	}

	/**
	 * Adds one call to a speech model, billed by the second of audio: one request and its
	 * seconds, no tokens.
	 */
	public void recordAudio(long userId, String model, long seconds, long costNanos, Instant at) {
		storage.addAudio(userId, model, day(at), 1, seconds, costNanos);
	}

	/**
	 * Adds seconds of audio only, to a request whose count and cost are recorded
	 * elsewhere (an API call's, by the gateway's call log).
	 */
	public void recordAudioSeconds(long userId, String model, long seconds, Instant at) {
		storage.addAudio(userId, model, day(at), 0, seconds, 0);
	}

	/** Seconds of audio a user's speech models heard on one day. */
	public long audioSeconds(long userId, LocalDate day) {
		return storage.audioSeconds(userId, day);
	}

	/**
	 * A user's rows between two days, both included, oldest first (by model, then
	 * purpose).
	 */
	public List<UsageRow> forUser(long userId, LocalDate from, LocalDate to) {
		return storage.forUser(userId, from, to);
	}

	/** Everyone's rows between two days, both included, oldest first (for admins). */
	public List<UsageRow> forEveryone(LocalDate from, LocalDate to) {
		return storage.forEveryone(from, to);
	}

	static LocalDate day(Instant at) {
		return LocalDate.ofInstant(at, ZoneOffset.UTC);
	}

}
