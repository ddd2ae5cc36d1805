package io.switchboard.assistant;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The answers being written on this node that their asker may stop. A stop is a flag the
 * turn looks at with every piece of text the model streams: the next piece is not shown,
 * the model's stream is cancelled (its connection closed, so the provider stops writing
 * and billing), and what was shown so far becomes the answer, marked as stopped.
 */
@Component
public class AnswerStops {

	private final Map<Long, Running> running = new ConcurrentHashMap<>();

	/**
	 * Asks the answer to stop; false when it is not being written on this node (not
	 * started yet, finished, or on another node).
	 */
	public boolean stop(long answerId) {
		Running answer = running.get(answerId);
		if (answer == null) {
			return false;
		}
		answer.requested = true;
		return true;
	}

	Running begin(long answerId) {
		Running answer = new Running(answerId);
		running.put(answerId, answer);
		return answer;
	}

	void end(Running answer) {
		running.remove(answer.answerId, answer);
	}

	/** One answer being written. */
	static final class Running {

		private final long answerId;

		private volatile boolean requested;

		private Running(long answerId) {
			this.answerId = answerId;
		}

		boolean requested() {
			return requested;
		}

	}

	/**
	 * Thrown from the stream's consumer when a stop was asked for: it ends the model call
	 * (the adapters cancel the stream on a consumer's failure) and reaches the turn.
	 */
	static final class Stopped extends RuntimeException {

		Stopped() {
			super("stopped by the asker", null, false, false);
		}

	}

}
