package io.switchboard.usage;

import java.time.LocalDate;

/** One user's use of one model on one UTC day. */
public record UsageRow(long userId, String model, LocalDate day, long requests, long tokensIn, long tokensOut,
		long costNanos) {

	/** The cost in US dollars. */
	public double costUsd() {
		return costNanos / 1e9;
	}

}
