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

import org.springframework.stereotype.Component;

/**
 * The limits of each key, held in memory so that checking them costs no database read:
 * requests per minute (behind {@link RequestRate}: a Bucket4j bucket per key, shared by
 * every node on PostgreSQL), tokens per UTC day and spend per UTC month (counters read
 * from the recorded calls once, when a key is first used, then kept up to date as calls
 * finish).
 *
 * <p>
 * Tokens and spend are reserved before a call and settled with its real usage after: a
 * call reserves the most it can cost (its input plus its {@code max_tokens}, or the
 * model's output limit), but no more than what is left, and a call finding nothing left
 * is refused. However many calls arrive at once, a key therefore overshoots its limit by
 * at most what one call used beyond its share.
 *
 * <p>
 * On several nodes sharing a database, the day's tokens and the month's spend are made
 * cluster-wide by {@link #reconcile()}: every few seconds (after a write of the call log)
 * each node sets its counters to what the database holds for all nodes plus its own calls
 * not yet written. A key can therefore overshoot by what the other nodes served in those
 * seconds, never more.
 */
@Component
class KeyLimits {

	private final ApiCallStore calls;

	private final RequestRate rate;

	private final Clock clock;

	private final ConcurrentHashMap<Long, State> states = new ConcurrentHashMap<>();

	KeyLimits(ApiCallStore calls, RequestRate rate, Clock clock) {
		this.calls = calls;
		this.rate = rate;
		this.clock = clock;
	}

	/** What a call holds of its key's day and month until it is settled. */
	static final class Reservation {

		static final Reservation NONE = new Reservation(null, 0, 0);

		private final State state;

		private final long tokens;

		private final long costNanos;

		private boolean settled;

		private Reservation(State state, long tokens, long costNanos) {
			this.state = state;
			this.tokens = tokens;
			this.costNanos = costNanos;
		}

	}

	/**
	 * Takes one request of the key's allowance, for a call with no token cost known
	 * beforehand (an image).
	 * @throws OpenAiError 429 naming the limit that is reached and when it resets
	 */
	void acquire(ApiKey key) {
		settle(reserve(key, 0, 0), 0, 0);
	}

	/**
	 * Checks the key's limits and reserves up to {@code maxTokens} and
	 * {@code maxCostNanos} (what the call costs at most) of what is left today and this
	 * month. Every reservation must be {@link #settle settled}.
	 * @throws OpenAiError 429 naming the limit that is reached and when it resets
	 */
	Reservation reserve(ApiKey key, long maxTokens, long maxCostNanos) {
		if (key.requestsPerMinute() == null && key.tokensPerDay() == null && key.spendPerMonthNanos() == null) {
			return Reservation.NONE;
		}
		long now = clock.millis();
		State state = key.tokensPerDay() == null && key.spendPerMonthNanos() == null ? null : state(key);
		Reservation reservation = Reservation.NONE;
		if (state != null) {
			state.roll(now);
			synchronized (state) {
				long tokensUsed = state.tokensToday.get() + state.reservedTokens;
				if (key.tokensPerDay() != null && tokensUsed >= key.tokensPerDay()) {
					long resetAt = state.dayEnd;
					throw new OpenAiError(429,
							"Token limit reached for API key '" + key.name() + "': " + key.tokensPerDay()
									+ " tokens per day (UTC), " + tokensUsed + " used or held by calls under way. "
									+ "It resets at " + Instant.ofEpochMilli(resetAt) + ", in " + human(resetAt - now)
									+ ".",
							"tokens", null, "rate_limit_exceeded", seconds(resetAt - now));
				}
				long spendUsed = state.spendThisMonth.get() + state.reservedSpend;
				if (key.spendPerMonthNanos() != null && spendUsed >= key.spendPerMonthNanos()) {
					long resetAt = state.monthEnd;
					throw new OpenAiError(429,
							"Spend limit reached for API key '" + key.name() + "': $"
									+ dollars(key.spendPerMonthNanos()) + " per month (UTC), $" + dollars(spendUsed)
									+ " spent or held by calls under way. It resets at " + Instant.ofEpochMilli(resetAt)
									+ ", in " + human(resetAt - now) + ".",
							"insufficient_quota", null, "insufficient_quota", seconds(resetAt - now));
				}
				long tokens = key.tokensPerDay() == null ? 0 : Math.min(maxTokens, key.tokensPerDay() - tokensUsed);
				long cost = key.spendPerMonthNanos() == null ? 0
						: Math.min(maxCostNanos, key.spendPerMonthNanos() - spendUsed);
				state.reservedTokens += tokens;
				state.reservedSpend += cost;
				reservation = new Reservation(state, tokens, cost);
			}
		}
		long waitMillis = rate.tryTake(key);
		if (waitMillis > 0) {
			settle(reservation, 0, 0);
			throw new OpenAiError(429,
					"Rate limit reached for API key '" + key.name() + "': " + key.requestsPerMinute()
							+ " requests per minute. It resets at " + Instant.ofEpochMilli(now + waitMillis) + ", in "
							+ human(waitMillis) + ".",
					"requests", null, "rate_limit_exceeded", seconds(waitMillis));
		}
		return reservation;
	}

	/**
	 * Gives a reservation back and counts what the call really used (0 for a failed
	 * call). A second settle of the same reservation does nothing.
	 */
	void settle(Reservation reservation, long tokens, long costNanos) {
		State state = reservation.state;
		if (state == null) {
			return;
		}
		state.roll(clock.millis());
		synchronized (state) {
			if (reservation.settled) {
				return;
			}
			reservation.settled = true;
			state.reservedTokens -= reservation.tokens;
			state.reservedSpend -= reservation.costNanos;
			state.tokensToday.addAndGet(tokens);
			state.spendThisMonth.addAndGet(costNanos);
			state.unwrittenTokens.addAndGet(tokens);
			state.unwrittenSpend.addAndGet(costNanos);
		}
	}

	/**
	 * A call {@link #settle} counted is now in the database (called by the call recorder,
	 * after its write committed).
	 */
	void written(ApiCall call) {
		State state = states.get(call.keyId());
		// settle counted a charged failure's spent rounds too, not only answers that came
		if (state != null && call.charged()) {
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

		private final AtomicLong tokensToday = new AtomicLong();

		private final AtomicLong spendThisMonth = new AtomicLong();

		/** Held by calls under way (guarded by the state's lock). */
		private long reservedTokens;

		private long reservedSpend;

		/** What {@link #settle} counted that the database does not hold yet. */
		private final AtomicLong unwrittenTokens = new AtomicLong();

		private final AtomicLong unwrittenSpend = new AtomicLong();

		private volatile long dayEnd;

		private volatile long monthStart;

		private volatile long monthEnd;

		State(ApiKey key, long now) {
			this.keyId = key.id();
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
