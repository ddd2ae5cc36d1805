package io.switchboard.channel;

import java.time.Duration;

import org.springframework.stereotype.Service;

/**
 * Runs, on the calling thread, a turn another process handed over (see
 * {@link TurnHandoff}), the same way a node runs its own: the same turn code, the same
 * settling, the same delivery. For a process that may be frozen the moment it returns (an
 * AWS Lambda function), it also waits for the sends it started.
 */
@Service
public class HandedOverTurns {

	private final Turns turns;

	private final Deliveries deliveries;

	HandedOverTurns(Turns turns, Deliveries deliveries) {
		this.turns = turns;
		this.deliveries = deliveries;
	}

	/**
	 * Runs a turn and sends its answer. Run again (a redelivered hand-over), it neither
	 * asks the model nor sends again: a settled question is not asked twice, a sent
	 * delivery is not sent twice, and a turn still running elsewhere (its holder renews
	 * its lease) is left alone, its delivery not done yet.
	 * @param attempt the how-manieth time this turn is run (1 for the first); past
	 * {@code switchboard.channel.turn-attempts} the question is settled as failed and the
	 * user told so
	 * @param wait how long to wait for the answer's send
	 * @return whether the answer's delivery is done (sent, or given up for good); false
	 * means it is still due and the hand-over should be tried again
	 */
	public boolean run(HandedTurn turn, int attempt, Duration wait) {
		// finished here, its delivery is on its way already; not run here (over, or
		// running elsewhere), it may be due all the same; either way its delivery says
		// whether to come again
		if (!turns.runHere(turn.row(Math.max(1, attempt)), turn.holder())) {
			deliveries.sendIfDue(turn.delivery());
		}
		deliveries.awaitSends(wait);
		return deliveries.done(turn.delivery());
	}

	/**
	 * Waits until the sends this process started (an intake's replies to a command, say)
	 * are over, at most {@code wait}; false when some are still under way.
	 */
	public boolean awaitSends(Duration wait) {
		return deliveries.awaitSends(wait);
	}

}
