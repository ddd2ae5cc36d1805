package io.switchboard.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionSynchronizationUtils;

/**
 * A unit of the pipeline's writes on DynamoDB, as an order of conditional writes rather
 * than one transaction (dynalite, the open-source DynamoDB the tests and CI run on, has
 * no {@code TransactWriteItems}; and the chat core's writes in the step could not join
 * one anyway). The adapters write at once, in the order the step makes them; what must
 * come last (the event key marked taken) is registered with {@link #onSuccess} and made
 * when the step returns, and what frees a claim when the step throws with
 * {@link #onFailure}. Deliveries made in the step are sent after that, through Spring's
 * transaction synchronization (the hook an SQL transaction's commit runs), opened here
 * for the step when no SQL transaction has it already. docs/dynamodb.md ("The intake on
 * DynamoDB") walks through what a crash between any two writes leaves.
 */
@Component
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoPipelineTransactions implements PipelineTransactions {

	private static final ThreadLocal<Unit> current = new ThreadLocal<>();

	@Override
	public <T> T inOne(Supplier<T> step) {
		if (current.get() != null) {
			return step.get(); // a step within a step joins it
		}
		Unit unit = new Unit();
		current.set(unit);
		boolean synchronizing = !TransactionSynchronizationManager.isSynchronizationActive();
		if (synchronizing) {
			TransactionSynchronizationManager.initSynchronization();
		}
		boolean done = false;
		try {
			T result = step.get();
			unit.succeeded.forEach(Runnable::run);
			done = true;
			return result;
		}
		finally {
			current.remove();
			if (synchronizing) {
				List<TransactionSynchronization> after = TransactionSynchronizationManager.getSynchronizations();
				TransactionSynchronizationManager.clearSynchronization();
				if (done) {
					TransactionSynchronizationUtils.invokeAfterCommit(after);
				}
				TransactionSynchronizationUtils.invokeAfterCompletion(after, done
						? TransactionSynchronization.STATUS_COMMITTED : TransactionSynchronization.STATUS_ROLLED_BACK);
			}
			if (!done) {
				for (Runnable undo : unit.failed) {
					try {
						undo.run();
					}
					catch (RuntimeException alsoFailing) {
						// what it would free is freed by its lease running out
					}
				}
			}
		}
	}

	/** Whether a unit is open on this thread. */
	boolean active() {
		return current.get() != null;
	}

	/** Runs {@code last} when the step of the unit open on this thread has returned. */
	void onSuccess(Runnable last) {
		Unit unit = current.get();
		if (unit != null) {
			unit.succeeded.add(last);
		}
	}

	/**
	 * Runs {@code undo} when the step of the unit open on this thread throws (to free
	 * what was claimed for it at once, such as an event's key).
	 */
	void onFailure(Runnable undo) {
		Unit unit = current.get();
		if (unit != null) {
			unit.failed.add(undo);
		}
	}

	/**
	 * Asks to be told the id of a turn about to be written in the unit open on this
	 * thread, before it is written (the event key notes it: see
	 * {@link DynamoInboundEvents}).
	 */
	void beforeTurns(LongConsumer listener) {
		Unit unit = current.get();
		if (unit != null) {
			unit.turns.add(listener);
		}
	}

	/** Tells the unit open on this thread that a turn is about to be written. */
	void turnComing(long id) {
		Unit unit = current.get();
		if (unit != null) {
			unit.turns.forEach(listener -> listener.accept(id));
		}
	}

	private static final class Unit {

		final List<Runnable> succeeded = new ArrayList<>();

		final List<Runnable> failed = new ArrayList<>();

		final List<LongConsumer> turns = new ArrayList<>();

	}

}
