package io.switchboard.api;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
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

	/** Per node, in memory: a Bucket4j token bucket per key, refilled smoothly. */
	final class Local implements RequestRate {

		private final ConcurrentHashMap<Long, Bucket> buckets = new ConcurrentHashMap<>();

		@Override
		public long tryTake(ApiKey key) {
			if (key.requestsPerMinute() == null) {
				return 0;
			}
			Bucket bucket = buckets.computeIfAbsent(key.id(),
					id -> Bucket.builder()
						.addLimit(Bandwidth.builder()
							.capacity(key.requestsPerMinute())
							.refillGreedy(key.requestsPerMinute(), Duration.ofMinutes(1))
							.build())
						.build());
			ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
			return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill() / 1_000_000);
		}

	}

}
