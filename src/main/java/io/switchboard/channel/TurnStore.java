package io.switchboard.channel;

import java.util.List;

/**
 * The storage port for the chat turns under way, each held by a node with a lease it
 * renews. Adapters: {@link JdbcTurnStore} (the {@code channel_turns} table) and
 * {@link DynamoTurnStore}.
 */
interface TurnStore {

	/**
	 * A turn under way.
	 *
	 * @param attempts runs begun so far, this one included
	 */
	record Row(long id, long answerId, long deliveryId, String platform, String lane, long userId, String provider,
			int attempts) {
	}

	/**
	 * Records a turn, held by {@code node} until {@code leaseUntil}, as part of the
	 * current unit of writes ({@link PipelineTransactions}).
	 */
	Row insert(long answerId, long deliveryId, String platform, String lane, long userId, String provider, String node,
			long leaseUntil, long now);

	/**
	 * Turns whose lease has run out (their node died or stopped), or every turn when
	 * {@code all}, oldest first.
	 */
	List<Row> orphaned(long now, boolean all, int limit);

	/**
	 * Takes an orphaned turn over: false when another node was quicker or its holder
	 * renewed it. {@code all} takes it whatever its lease says (the only node of an
	 * SQLite database, just started).
	 */
	boolean takeOver(long id, String node, long leaseUntil, long now, boolean all);

	/**
	 * Takes a turn handed over by node {@code from} (null: unknown) for {@code node}, to
	 * run it there: it takes the hand-over's hold, a hold let go of, its own, or one that
	 * ran out. False when the turn is over, or another node holds it and renews it (it is
	 * running there: the same hand-over delivered twice). Attempts are not counted: the
	 * hand-over's transport counts them.
	 */
	boolean claim(long id, String from, String node, long leaseUntil, long now);

	/** Renews every lease a node holds; returns how many. */
	int renew(String node, long leaseUntil);

	/**
	 * Lets go of a node's turns at once, for another node to finish (at shutdown);
	 * returns how many.
	 */
	int letGo(String node);

	/**
	 * Lets go of one turn at once, whoever holds it, for the next recovery to take over
	 * (its hand-over to another process failed); false when it is over already.
	 */
	boolean letGoOne(long id);

	/** The turn is over: its question is settled and its delivery due. */
	void delete(long id);

	int count();

	/**
	 * Whether this store can only ever have one node (an SQLite file): its first recovery
	 * after a start takes every turn, without waiting for leases to run out.
	 */
	boolean singleNode();

}
