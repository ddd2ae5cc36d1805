package io.switchboard.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.switchboard.usage.UsageLedger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records calls off the request path: a request only adds its call to a queue; a
 * background thread writes what has gathered every {@code usage-flush-interval} in one
 * transaction (one batch insert into {@code api_calls}, one usage-ledger upsert per user,
 * model and day) and updates the Prometheus metrics; every {@code limits-sync-interval}
 * it also brings the keys' limits in line with what other nodes recorded
 * ({@link KeyLimits#reconcile()}). The queue is bounded: if the database falls that far
 * behind, calls are counted as dropped rather than slowing answers down. Stopping the
 * server writes what is left.
 */
@Component
class CallRecorder implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(CallRecorder.class);

	private static final int MAX_BATCH = 20_000;

	private final ApiCallStore calls;

	private final UsageLedger ledger;

	private final TransactionTemplate transactions;

	private final MeterRegistry meters;

	private final long intervalNanos;

	private final long syncNanos;

	private final KeyLimits limits;

	private final int capacity;

	private final ConcurrentLinkedQueue<ApiCall> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger queued = new AtomicInteger();

	private final Counter dropped;

	private final DistributionSummary overhead;

	// meters by their tags, looked up once: only the flusher (under flush()'s lock) uses
	// them
	private final Map<CallKind, Timer> timers = new HashMap<>();

	private final Map<String, ModelMeters> modelMeters = new HashMap<>();

	private volatile Thread flusher;

	private volatile boolean running;

	CallRecorder(ApiCallStore calls, UsageLedger ledger, TransactionTemplate transactions, MeterRegistry meters,
			KeyLimits limits, ApiProperties properties) {
		this.limits = limits;
		this.syncNanos = properties.limitsSyncInterval().toNanos();
		this.calls = calls;
		this.ledger = ledger;
		this.transactions = transactions;
		this.meters = meters;
		this.intervalNanos = properties.usageFlushInterval().toNanos();
		this.capacity = properties.usageQueueCapacity();
		this.dropped = Counter.builder("switchboard.api.calls.dropped")
			.description("API calls not recorded because the recording queue was full")
			.register(meters);
		this.overhead = DistributionSummary.builder("switchboard.api.overhead")
			.description("The gateway's own time per call, in milliseconds")
			.baseUnit("milliseconds")
			.publishPercentiles(0.5, 0.99)
			.register(meters);
		Gauge.builder("switchboard.api.calls.queued", queued, AtomicInteger::get)
			.description("API calls waiting to be written")
			.register(meters);
	}

	/** Queues a call; never blocks. */
	void record(ApiCall call) {
		if (queued.incrementAndGet() > capacity) {
			queued.decrementAndGet();
			dropped.increment();
			return;
		}
		queue.add(call);
	}

	/** Writes everything queued so far, now (tests; and the flusher itself). */
	synchronized void flush() {
		while (!queue.isEmpty()) {
			List<ApiCall> batch = new ArrayList<>(Math.min(queued.get(), MAX_BATCH));
			ApiCall call;
			while (batch.size() < MAX_BATCH && (call = queue.poll()) != null) {
				batch.add(call);
			}
			queued.addAndGet(-batch.size());
			try {
				write(batch);
				batch.forEach(limits::written);
			}
			catch (RuntimeException failed) {
				// the calls are lost for the ledger, but answers go on; say so loudly
				log.error("could not record {} API calls: {}", batch.size(), failed.getMessage(), failed);
				dropped.increment(batch.size());
			}
			measure(batch);
		}
	}

	private void write(List<ApiCall> batch) {
		Map<LedgerKey, long[]> sums = new HashMap<>();
		for (ApiCall call : batch) {
			// a failed call is not usage, except a tool loop's answer whose later round
			// failed: its earlier rounds were spent, on a free model too (the answer
			// says so; its cost cannot, being 0 there)
			if (call.charged()) {
				long[] sum = sums.computeIfAbsent(new LedgerKey(call.userId(), call.model(), call.at() / 86_400_000L),
						key -> new long[5]);
				sum[0]++;
				sum[1] += call.tokensIn();
				sum[2] += call.tokensOut();
				sum[3] += call.costNanos();
				sum[4] += call.tokensCached();
			}
		}
		transactions.executeWithoutResult(status -> {
			calls.insert(batch);
			sums.forEach((key, sum) -> ledger.record(key.userId(), key.model(), sum[0], sum[1], sum[2], sum[4], sum[3],
					Instant.ofEpochMilli(key.day() * 86_400_000L)));
		});
	}

	private void measure(List<ApiCall> batch) {
		for (ApiCall call : batch) {
			timers
				.computeIfAbsent(new CallKind(call.model(), call.upstream(), call.status(), call.streamed()),
						this::timer)
				.record(call.latencyMillis(), TimeUnit.MILLISECONDS);
			ModelMeters model = modelMeters.computeIfAbsent(call.model(), this::modelMeters);
			if (call.tokensIn() > 0) {
				model.tokensIn().increment(call.tokensIn());
			}
			if (call.tokensOut() > 0) {
				model.tokensOut().increment(call.tokensOut());
			}
			if (call.costNanos() > 0) {
				model.cost().increment(call.costNanos() / 1e9);
			}
			overhead.record(call.overheadMicros() / 1000.0);
		}
	}

	private Timer timer(CallKind kind) {
		return Timer.builder("switchboard.api.requests")
			.description("Calls through the OpenAI-compatible API, from arrival to last byte")
			.tags("model", kind.model(), "upstream", kind.upstream(), "status", Integer.toString(kind.status()),
					"stream", Boolean.toString(kind.streamed()))
			.register(meters);
	}

	private ModelMeters modelMeters(String model) {
		return new ModelMeters(meters.counter("switchboard.api.tokens", "model", model, "direction", "in"),
				meters.counter("switchboard.api.tokens", "model", model, "direction", "out"),
				meters.counter("switchboard.api.cost.usd", "model", model));
	}

	/** The tags of one {@code switchboard.api.requests} timer. */
	private record CallKind(String model, String upstream, int status, boolean streamed) {
	}

	private record ModelMeters(Counter tokensIn, Counter tokensOut, Counter cost) {
	}

	private void run() {
		long nextSync = System.nanoTime() + syncNanos;
		while (running) {
			LockSupport.parkNanos(intervalNanos);
			try {
				flush();
				if (System.nanoTime() - nextSync >= 0) {
					nextSync = System.nanoTime() + syncNanos;
					syncLimits();
				}
			}
			catch (RuntimeException unexpected) {
				log.error("API call recording failed", unexpected);
			}
		}
	}

	/**
	 * Brings the keys' day and month counters in line with every node's recorded calls;
	 * under flush()'s lock, so no write lands between the database read and the counters
	 * this node has not written yet.
	 */
	synchronized void syncLimits() {
		limits.reconcile();
	}

	@Override
	public void start() {
		running = true;
		flusher = Thread.ofPlatform().daemon().name("api-call-recorder").start(this::run);
	}

	@Override
	public void stop() {
		running = false;
		Thread thread = flusher;
		if (thread != null) {
			LockSupport.unpark(thread);
			try {
				thread.join(5_000);
			}
			catch (InterruptedException interrupted) {
				Thread.currentThread().interrupt();
			}
		}
		flush();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	@Override
	public int getPhase() {
		// stops after the web server (which stops at a higher phase) so late calls land
		return 0;
	}

	private record LedgerKey(long userId, String model, long day) {
	}

}
