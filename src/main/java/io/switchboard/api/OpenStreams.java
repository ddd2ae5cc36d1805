package io.switchboard.api;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The {@code /v1} streams open on this node. When the server stops, those still open
 * after the web server's grace period get a last error event saying the server is
 * restarting, instead of ending with no word (which an OpenAI client takes for a whole
 * answer) or hanging on.
 */
@Component
class OpenStreams implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OpenStreams.class);

	static final OpenAiError RESTARTING = new OpenAiError(503,
			"The server is restarting, so this answer was cut short. Please send the request again in a moment.",
			"server_error", null, "server_restarting", 0);

	private final Set<Open> open = ConcurrentHashMap.newKeySet();

	private volatile boolean running;

	/** One open stream: {@code interrupt} writes the last event and stops the stream. */
	final class Open implements AutoCloseable {

		private final Runnable interrupt;

		private Open(Runnable interrupt) {
			this.interrupt = interrupt;
		}

		@Override
		public void close() {
			open.remove(this);
		}

	}

	Open register(Runnable interrupt) {
		Open stream = new Open(interrupt);
		open.add(stream);
		return stream;
	}

	@Override
	public void start() {
		running = true;
	}

	@Override
	public void stop() {
		running = false;
		List<Open> left = List.copyOf(open);
		if (!left.isEmpty()) {
			log.info("telling {} API streams still open that the server is restarting", left.size());
		}
		for (Open stream : left) {
			try {
				stream.interrupt.run();
			}
			catch (RuntimeException failure) {
				log.debug("could not tell an API stream: {}", failure.toString());
			}
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/**
	 * After the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}), which
	 * gives open streams their grace period, and before the web server stops.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1050;
	}

}
