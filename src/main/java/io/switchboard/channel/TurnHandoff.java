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
	 * Hands a turn over, or throws. The turn's row stays, let go at once: it is handed
	 * over again when its event comes again (the intake answers the platform with
	 * {@link Failed}, so that it redelivers), or by the next recovery sweep.
	 */
	void handOver(HandedTurn turn);

	/**
	 * A stored question whose turn could not be handed over: the caller must not report
	 * the event as taken in (a webhook answers with an error, so that the platform
	 * delivers the event again, and that redelivery hands the turn over; the question is
	 * not stored twice).
	 */
	final class Failed extends RuntimeException {

		public Failed(long turn, Throwable cause) {
			super("turn " + turn + " is stored but could not be handed over: " + cause, cause);
		}

	}

}
