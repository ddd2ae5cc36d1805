package io.switchboard.channel;

/**
 * The storage port for the platform events taken in, by their de-duplication key: a
 * redelivery, a retry or a second event for the same message finds its key here, also
 * after a restart. Adapters: {@link JdbcInboundEvents} (SQL) and
 * {@link DynamoInboundEvents} (DynamoDB).
 */
interface InboundEvents {

	/**
	 * Records a key as part of the intake's unit of writes
	 * ({@link PipelineTransactions}): false when it was taken in before, or is being
	 * taken in by a live intake right now. The key counts as taken in once the unit
	 * completes; a unit that fails leaves it free for a redelivery.
	 */
	boolean record(String platform, String key, long now);

	/** Whether the event was taken in (a unit under way elsewhere does not count). */
	boolean seen(String platform, String key);

	/**
	 * Forgets keys recorded before {@code before}; returns how many (a store whose keys
	 * expire by themselves returns 0).
	 */
	int forget(long before);

}
