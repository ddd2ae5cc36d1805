package io.switchboard.channel.web;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The chat page's open event streams on this node, one per message sent, by id: the live
 * view and the delivery of that message's answer write to it. A stream whose page has
 * gone is dropped; its answer is in the session's history.
 */
@Component
class WebStreams {

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

	/** Ends a stream: its message is answered. */
	void complete(String id) {
		SseEmitter emitter = open.remove(id);
		if (emitter != null) {
			emitter.complete();
		}
	}

}
