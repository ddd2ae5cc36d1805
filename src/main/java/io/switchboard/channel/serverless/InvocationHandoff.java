package io.switchboard.channel.serverless;

import java.util.ArrayList;
import java.util.List;

import io.switchboard.channel.HandedTurn;
import io.switchboard.channel.TurnHandoff;

/**
 * The worker's hand-over: a turn its own intake begins (while it takes in an event the
 * webhook queued) stays with the invocation, which runs it right after the intake, with
 * no second trip through the queue; a turn begun anywhere else (the recovery loop taking
 * over one whose holder died) goes to the queue ({@link SqsTurnHandoff}), as does one the
 * invocation could not finish.
 */
final class InvocationHandoff implements TurnHandoff {

	/** The turns begun on this thread by the intake under way, if one is. */
	private static final ThreadLocal<List<HandedTurn>> BEGUN = new ThreadLocal<>();

	private final TurnHandoff queue;

	InvocationHandoff(TurnHandoff queue) {
		this.queue = queue;
	}

	@Override
	public void handOver(HandedTurn turn) {
		List<HandedTurn> begun = BEGUN.get();
		if (begun == null) {
			queue.handOver(turn);
		}
		else {
			begun.add(turn);
		}
	}

	/** Hands a turn to the queue, whatever is under way. */
	void queue(HandedTurn turn) {
		queue.handOver(turn);
	}

	/**
	 * Runs an intake on this thread and returns the turns it began, for the caller to run
	 * (nothing else runs them: a caller that cannot must {@link #queue} them).
	 */
	static List<HandedTurn> begunBy(Runnable intake) {
		List<HandedTurn> begun = new ArrayList<>();
		BEGUN.set(begun);
		try {
			intake.run();
			return begun;
		}
		finally {
			BEGUN.remove();
		}
	}

}
