package io.switchboard.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import org.springframework.stereotype.Component;

/**
 * The limits of each key, held in memory so that checking them costs no database read:
 * requests per minute (a Bucket4j token bucket, refilled smoothly), tokens per UTC day
 * and spend per UTC month (counters read from the recorded calls once, when a key is
 * first used, then kept up to date as calls finish). The token and spend limits are
 * checked before a call and counted after it, so the call that crosses a limit completes
 * and the next one is refused.
 *
 * <p>
 * On several nodes sharing a database, the day's tokens and the month's spend are made
 * cluster-wide by {@link #reconcile()}: every few seconds (after a write of the call log)
 * each node sets its counters to what the database holds for all nodes plus its own calls
 * not yet written. A key can therefore overshoot by what the other nodes served in those
 * seconds, never more. Requests per minute are counted in one bucket per key that every
 * node shares ({@link RequestRates}).
 */
@Component
class KeyLimits {

	private final ApiCallStore calls;

	private final Clock clock;

	private final RequestRates rates;

	private final ConcurrentHashMap<Long, State> states = new ConcurrentHashMap<>();

	KeyLimits(ApiCallStore calls, Clock clock, RequestRates rates) {
		this.calls = calls;
		this.clock = clock;
		this.rates = rates;
	}

	/**
	 * Takes one request of the key's allowance.
	 * @throws OpenAiError 429 naming the limit that is reached and when it resets
	 */
	void acquire(ApiKey key) {
		if (key.requestsPerMinute() == null && key.tokensPerDay() == null && key.spendPerMonthNanos() == null) {
			return;
		}
		State state = state(key);
		long now = clock.millis();
		state.roll(now);
		if (key.tokensPerDay() != null && state.tokensToday.get() >= key.tokensPerDay()) {
			long resetAt = state.dayEnd;
			throw new OpenAiError(429,
					"Token limit reached for API key '" + key.name() + "': " + key.tokensPerDay()
							+ " tokens per day (UTC), " + state.tokensToday.get() + " used. It resets at "
							+ Instant.ofEpochMilli(resetAt) + ", in " + human(resetAt - now) + ".",
					"tokens", null, "rate_limit_exceeded", seconds(resetAt - now));
		}
		if (key.spendPerMonthNanos() != null && state.spendThisMonth.get() >= key.spendPerMonthNanos()) {
			long resetAt = state.monthEnd;
			throw new OpenAiError(429,
					"Spend limit reached for API key '" + key.name() + "': $" + dollars(key.spendPerMonthNanos())
							+ " per month (UTC), $" + dollars(state.spendThisMonth.get()) + " spent. It resets at "
							+ Instant.ofEpochMilli(resetAt) + ", in " + human(resetAt - now) + ".",
					"insufficient_quota", null, "insufficient_quota", seconds(resetAt - now));
		}
		if (state.bucket != null) {
			ConsumptionProbe probe = state.bucket.tryConsumeAndReturnRemaining(1);
			if (!probe.isConsumed()) {
				long waitMillis = Math.max(1, probe.getNanosToWaitForRefill() / 1_000_000);
				throw new OpenAiError(429,
						"Rate limit reached for API key '" + key.name() + "': " + key.requestsPerMinute()
								+ " requests per minute. It resets at " + Instant.ofEpochMilli(now + waitMillis)
								+ ", in " + human(waitMillis) + ".",
						"requests", null, "rate_limit_exceeded", seconds(waitMillis));
			}
		}
	}

	/** Counts a finished call against the key's day and month. */
	void spent(ApiKey key, long tokens, long costNanos) {
		if (key.tokensPerDay() == null && key.spendPerMonthNanos() == null) {
			return;
		}
		State state = state(key);
		state.roll(clock.millis());
		state.tokensToday.addAndGet(tokens);
		state.spendThisMonth.addAndGet(costNanos);
		state.unwrittenTokens.addAndGet(tokens);
		state.unwrittenSpend.addAndGet(costNanos);
	}

	/**
	 * A call {@link #spent} counted is now in the database (called by the call recorder,
	 * after its write committed).
	 */
	void written(ApiCall call) {
		State state = states.get(call.keyId());
		if (state != null && call.status() == 200) {
			state.unwrittenTokens.addAndGet(-(long) (call.tokensIn() + call.tokensOut()));
			state.unwrittenSpend.addAndGet(-call.costNanos());
		}
	}

	/**
	 * Sets each limited key's day and month counters to the database's sums (every node's
	 * calls) plus this node's calls not yet written. Runs on the call recorder's thread,
	 * between writes, so no call is counted twice or missed.
	 */
	void reconcile() {
		if (states.isEmpty()) {
			return;
		}
		long now = clock.millis();
		List<State> limited = new ArrayList<>();
		states.values().forEach(state -> {
			state.roll(now);
			limited.add(state);
		});
		// every state's day and month are the current ones after roll()
		State any = limited.getFirst();
		List<Long> ids = limited.stream().map(state -> state.keyId).toList();
		Map<Long, Long> tokens = calls.tokensSince(ids, any.dayEnd - 86_400_000L);
		Map<Long, Long> spend = calls.spendSince(ids, any.monthStart);
		for (State state : limited) {
			state.tokensToday.set(tokens.getOrDefault(state.keyId, 0L) + state.unwrittenTokens.get());
			state.spendThisMonth.set(spend.getOrDefault(state.keyId, 0L) + state.unwrittenSpend.get());
		}
	}

	private State state(ApiKey key) {
		return states.computeIfAbsent(key.id(), id -> new State(key, clock.millis()));
	}

	static String dollars(long nanos) {
		return BigDecimal.valueOf(nanos, 9).setScale(2, RoundingMode.HALF_UP).toPlainString();
	}

	private static long seconds(long millis) {
		return Math.max(1, (millis + 999) / 1000);
	}

	static String human(long millis) {
		Duration left = Duration.ofMillis(Math.max(0, millis));
		if (left.toHours() > 0) {
			return left.toHours() + " h " + left.toMinutesPart() + " min";
		}
		if (left.toMinutes() > 0) {
			return left.toMinutes() + " min " + left.toSecondsPart() + " s";
		}
		return Math.max(1, (left.toMillis() + 999) / 1000) + " s";
	}

	/** One key's counters, for the current UTC day and month. */
	private final class State {

		private final long keyId;

		private final Bucket bucket;

		private final AtomicLong tokensToday = new AtomicLong();

		private final AtomicLong spendThisMonth = new AtomicLong();

		/** What {@link #spent} counted that the database does not hold yet. */
		private final AtomicLong unwrittenTokens = new AtomicLong();

		private final AtomicLong unwrittenSpend = new AtomicLong();

		private volatile long dayEnd;

		private volatile long monthStart;

		private volatile long monthEnd;

		State(ApiKey key, long now) {
			this.keyId = key.id();
			this.bucket = key.requestsPerMinute() == null ? null : rates.bucket(key.id(), key.requestsPerMinute());
			load(now);
		}

		private void load(long now) {
			LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(now), ZoneOffset.UTC);
			long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
			long monthStart = day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
			tokensToday.set(calls.tokensSince(keyId, dayStart));
			spendThisMonth.set(calls.spendSince(keyId, monthStart));
			dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
			this.monthStart = monthStart;
			monthEnd = day.withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
		}

		/** Starts a new day or month when one has begun. */
		void roll(long now) {
			if (now < dayEnd) {
				return;
			}
			synchronized (this) {
				if (now < dayEnd) {
					return;
				}
				LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(now), ZoneOffset.UTC);
				tokensToday.set(0);
				dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
				if (now >= monthEnd) {
					spendThisMonth.set(0);
					monthStart = day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
					monthEnd = day.withDayOfMonth(1)
						.plusMonths(1)
						.atStartOfDay(ZoneOffset.UTC)
						.toInstant()
						.toEpochMilli();
				}
			}
		}

	}

}
