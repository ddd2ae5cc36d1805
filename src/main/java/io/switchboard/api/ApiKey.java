package io.switchboard.api;

import java.time.Instant;
import java.util.Set;

import io.switchboard.conversation.UserId;

/**
 * An API key as stored: never the key itself, only its hash and a hint to recognise it.
 *
 * @param hint the key's first and last characters, e.g. {@code sk-sb-Ab3…x9Q}
 * @param allowedModels the model names it may call; empty means every model
 * @param requestsPerMinute the most requests a minute, or {@code null} for no limit
 * @param tokensPerDay the most tokens (in and out) a UTC day, or {@code null}
 * @param spendPerMonthNanos the most spend a UTC month in billionths of a dollar, or
 * {@code null}
 */
record ApiKey(long id, UserId userId, String name, String hint, Set<String> allowedModels, Integer requestsPerMinute,
		Long tokensPerDay, Long spendPerMonthNanos, Instant createdAt, Instant revokedAt) {

	ApiKey {
		allowedModels = Set.copyOf(allowedModels);
	}

	boolean revoked() {
		return revokedAt != null;
	}

	boolean allows(String model) {
		return allowedModels.isEmpty() || allowedModels.contains(model);
	}

	/** What a new key may do. */
	record Limits(Set<String> allowedModels, Integer requestsPerMinute, Long tokensPerDay, Long spendPerMonthNanos) {

		static final Limits NONE = new Limits(Set.of(), null, null, null);

		Limits {
			allowedModels = allowedModels == null ? Set.of() : Set.copyOf(allowedModels);
		}

	}

}
