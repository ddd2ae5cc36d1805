package io.switchboard.channel;

/**
 * Where a begun chat turn goes. Without a bean of this type a turn runs on this node (its
 * {@link TurnQueue}); with one, it is handed to another process (the serverless edition
 * puts it on an SQS queue for the worker function, which runs it with
 * {@link HandedOverTurns}). The turn is called for after the intake's transaction
 * committed, so whatever runs it finds the question stored.
 */
public interface TurnHandoff {

	/**
	 * Hands a turn over. A failure leaves the turn's row in place: its lease runs out and
	 * it is handed over again by the recovery sweep.
	 */
	void handOver(HandedTurn turn);

}
