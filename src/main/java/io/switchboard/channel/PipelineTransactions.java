package io.switchboard.channel;

import java.util.function.Supplier;

/**
 * The storage port for writing the pipeline's rows of one step together: the intake's
 * event key with the delivery and turn it made, a finished turn with its released
 * delivery. Deliveries made within are sent once the unit completes
 * ({@link org.springframework.transaction.support.TransactionSynchronization#afterCommit}).
 * The SQL adapter runs the step in one transaction; the DynamoDB adapter collects the
 * pipeline's writes and makes them in one {@code TransactWriteItems} at the end (the chat
 * core's own writes within the step are made at once; docs/dynamodb.md says what a crash
 * between them leaves).
 */
interface PipelineTransactions {

	/**
	 * Runs {@code step} as one unit of writes and returns its result; nothing of the
	 * pipeline's rows is kept when it throws.
	 */
	<T> T inOne(Supplier<T> step);

}
