package io.switchboard.channel;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work on virtual threads, one piece of a lane after another in the order given,
 * different lanes side by side. No thread waits for a lane: each piece is chained to the
 * one before it.
 */
public final class Lanes {

	private static final Logger log = LoggerFactory.getLogger(Lanes.class);

	private final Executor threads;

	/** The last piece queued in each lane: the next one goes after it. */
	private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

	/**
	 * @param name the virtual threads' name prefix
	 */
	public Lanes(String name) {
		this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name, 0).factory());
	}

	/**
	 * Runs {@code work} after the lane's earlier work; a failure is logged, not passed
	 * on.
	 */
	public void submit(String lane, Runnable work) {
		CompletableFuture<Void> queued = tails.compute(lane, (key,
				tail) -> (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail).thenRunAsync(() -> {
					try {
						work.run();
					}
					catch (RuntimeException failure) {
						log.warn("work in lane {} failed: {}", lane, failure.toString());
					}
				}, threads));
		queued.whenComplete((done, failure) -> tails.remove(lane, queued));
	}

	/**
	 * Waits until every lane's work queued so far is over, at most {@code wait}; false
	 * when some is still queued or running.
	 */
	public boolean awaitIdle(java.time.Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		while (!tails.isEmpty()) {
			CompletableFuture<?>[] pending = tails.values().toArray(CompletableFuture[]::new);
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			try {
				CompletableFuture.allOf(pending).get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
			}
			catch (java.util.concurrent.TimeoutException late) {
				return false;
			}
			catch (java.util.concurrent.ExecutionException failed) {
				// logged where it ran; the lane goes on
			}
			catch (InterruptedException stopping) {
				Thread.currentThread().interrupt();
				return false;
			}
			// a tail is removed just after it completes: let that happen
			Thread.onSpinWait();
		}
		return true;
	}

	/** Whether the lane has work queued or running on this node. */
	public boolean busy(String lane) {
		return tails.containsKey(lane);
	}

}
