package io.switchboard.channel.web;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The chat page's open event streams on this node, one per message sent, by id: the live
 * view and the delivery of that message's answer write to it. A stream whose page has
 * gone is dropped; its answer is in the session's history. When the server stops, the
 * streams still open after the web server's grace period are told so and closed, rather
 * than cut without a word; their answers are finished by the next start (or another node)
 * and appear in the conversation.
 */
@Component
class WebStreams implements SmartLifecycle {

	static final String RESTARTING = "The server is restarting. Your message is kept, and its answer will be in "
			+ "this conversation when the server is back: reload the page in a moment.";

	private volatile boolean running;

	private final Map<String, SseEmitter> open = new ConcurrentHashMap<>();

	/** Opens a stream for one message. */
	void open(String id, SseEmitter emitter) {
		open.put(id, emitter);
		Runnable forget = () -> open.remove(id, emitter);
		emitter.onCompletion(forget);
		emitter.onTimeout(forget);
		emitter.onError(failure -> forget.run());
	}

	/** Sends one event; false when the stream is not (or no longer) open here. */
	boolean send(String id, String name, Object data) {
		SseEmitter emitter = open.get(id);
		if (emitter == null) {
			return false;
		}
		try {
			synchronized (emitter) {
				emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
			}
			return true;
		}
		catch (IOException | IllegalStateException gone) {
			// the browser left: the answer is kept and shows on reload
			open.remove(id, emitter);
			return false;
		}
	}

	@Override
	public void start() {
		running = true;
	}

	/** Tells the streams still open that the server is going, and closes them. */
	@Override
	public void stop() {
		running = false;
		for (String id : List.copyOf(open.keySet())) {
			send(id, "error", Map.of("message", RESTARTING, "restarting", true));
			complete(id);
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/**
	 * After the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}), which
	 * gives open streams their grace period; before the chat turns let go.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1050;
	}

	/** Ends a stream: its message is answered. */
	void complete(String id) {
		SseEmitter emitter = open.remove(id);
		if (emitter != null) {
			emitter.complete();
		}
	}

}
