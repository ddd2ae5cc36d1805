package io.switchboard.api;

import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * A key's requests-per-minute allowance. Small on purpose, so that a cluster-wide counter
 * (one bucket shared by every node) can take the place of {@link Local}.
 */
interface RequestRate {

	/**
	 * Takes one request of the key's allowance.
	 * @return 0 when taken, else the milliseconds until one is free
	 */
	long tryTake(ApiKey key);

	/** A Bucket4j token bucket per key, refilled smoothly, from {@link RequestRates}. */
	final class Local implements RequestRate {

		private final ConcurrentHashMap<Long, Bucket> buckets = new ConcurrentHashMap<>();

		private final RequestRates rates;

		Local(RequestRates rates) {
			this.rates = rates;
		}

		@Override
		public long tryTake(ApiKey key) {
			if (key.requestsPerMinute() == null) {
				return 0;
			}
			Bucket bucket = buckets.computeIfAbsent(key.id(), id -> rates.bucket(id, key.requestsPerMinute()));
			ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
			return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill() / 1_000_000);
		}

	}

}
