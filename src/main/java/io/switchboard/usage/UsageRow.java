package io.switchboard.usage;

import java.time.LocalDate;

/**
 * One user's use of one model for one purpose on one UTC day.
 *
 * @param tokensCached the part of {@code tokensIn} providers read from their prompt
 * caches (billed at the model's cached-input price)
 */
public record UsageRow(long userId, String model, LocalDate day, UsagePurpose purpose, long requests, long tokensIn,
		long tokensOut, long tokensCached, long costNanos) {

	/** A row of chat answers without cached input. */
	public UsageRow(long userId, String model, LocalDate day, long requests, long tokensIn, long tokensOut,
			long costNanos) {
		this(userId, model, day, UsagePurpose.CHAT, requests, tokensIn, tokensOut, 0, costNanos);
	}

	/** The cost in US dollars. */
	public double costUsd() {
		return costNanos / 1e9;
	}

}
