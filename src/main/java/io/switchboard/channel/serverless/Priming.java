package io.switchboard.channel.serverless;

import java.util.List;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.switchboard.channel.line.LineWebhook;
import io.switchboard.storage.DynamoTable;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart's priming: before Lambda snapshots a function's initialised JVM, the hot
 * paths run once, so that a container restored from the snapshot has their classes loaded
 * and linked and its clients set up: LINE's verification call through the webhook
 * (signature, parsing; nothing stored), an empty SQS batch through the worker, and one
 * DynamoDB read of an item that does not exist (the SDK's signer, marshallers and HTTP
 * client). Nothing is written. Registered with CRaC's global context, which Lambda's
 * runtime drives; elsewhere it is never called.
 */
final class Priming implements Resource {

	private static final Logger log = LoggerFactory.getLogger(Priming.class);

	/**
	 * The primings of this process's contexts, for the benchmark and tests, which run on
	 * a JVM that takes no snapshot.
	 */
	private static final java.util.Set<Priming> ALL = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private final LineWebhook webhook;

	private final WorkerFunction worker;

	private final DynamoTable table;

	Priming(LineWebhook webhook, WorkerFunction worker, DynamoTable table) {
		this.webhook = webhook;
		this.worker = worker;
		this.table = table;
		// CRaC holds its resources weakly: this bean keeps itself alive
		Core.getGlobalContext().register(this);
		ALL.add(this);
	}

	/**
	 * The DynamoDB capacity the contexts of this process consumed so far (both functions'
	 * share one table in the benchmark, which counts a turn's units with it).
	 */
	static io.switchboard.storage.Capacity consumed() {
		double read = 0;
		double write = 0;
		for (Priming priming : ALL) {
			if (priming.table != null) {
				read += priming.table.meter().consumed().readUnits();
				write += priming.table.meter().consumed().writeUnits();
			}
		}
		return new io.switchboard.storage.Capacity(read, write);
	}

	/** Primes every context of this process, as a snapshot would. */
	static void primeAll() {
		ALL.forEach(Priming::prime);
	}

	/** Runs the hot paths once. */
	void prime() {
		long started = System.nanoTime();
		if (webhook != null) {
			webhook.verifyCall();
		}
		SQSEvent empty = new SQSEvent();
		empty.setRecords(List.of());
		worker.apply(empty);
		if (table != null) {
			table.get(DynamoTable.key("PRIME#", "A"));
		}
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
