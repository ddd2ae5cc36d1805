package io.switchboard.channel.serverless;

import io.switchboard.storage.Capacity;
import io.switchboard.storage.DynamoTable;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart's priming: before Lambda snapshots a function's initialised JVM, its hot
 * paths run once, so that a container restored from the snapshot has their classes loaded
 * and linked and its clients set up. The webhook reads LINE's verification call and reads
 * the table once; the worker takes an empty SQS batch and reads the table once (the SDK's
 * signer, marshallers and HTTP client). Nothing is written. Registered with CRaC's global
 * context, which Lambda's runtime drives; elsewhere it is never called.
 */
final class Priming implements Resource {

	private static final Logger log = LoggerFactory.getLogger(Priming.class);

	/**
	 * The primings of this process's contexts, for the benchmark and tests, which run on
	 * a JVM that takes no snapshot.
	 */
	private static final java.util.Set<Priming> ALL = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private final Runnable hotPaths;

	private final DynamoTable table;

	/**
	 * @param hotPaths what a first call runs, nothing written
	 * @param table the function's table, whose consumed capacity the benchmark counts
	 */
	Priming(Runnable hotPaths, DynamoTable table) {
		this.hotPaths = hotPaths;
		this.table = table;
		// CRaC holds its resources weakly: this bean keeps itself alive
		Core.getGlobalContext().register(this);
		ALL.add(this);
	}

	/**
	 * The DynamoDB capacity the contexts of this process consumed so far (the benchmark
	 * counts a turn's units with it: both functions' share one table there).
	 */
	static Capacity consumed() {
		double read = 0;
		double write = 0;
		for (Priming priming : ALL) {
			read += priming.table.meter().consumed().readUnits();
			write += priming.table.meter().consumed().writeUnits();
		}
		return new Capacity(read, write);
	}

	/** Primes every context of this process, as a snapshot would. */
	static void primeAll() {
		ALL.forEach(Priming::prime);
	}

	/** Runs the hot paths once. */
	void prime() {
		long started = System.nanoTime();
		hotPaths.run();
		log.info("primed in {} ms", (System.nanoTime() - started) / 1_000_000);
	}

	@Override
	public void beforeCheckpoint(Context<? extends Resource> context) {
		prime();
	}

	@Override
	public void afterRestore(Context<? extends Resource> context) {
		// the SDK's clients open new connections when the old ones turn out dead
	}

}
