package io.switchboard.image.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ComfyUI tells how far a prompt is only over its websocket ({@code /ws?clientId=...}),
 * to the client that queued it: {@code {"type":"progress","data":{"value","max",
 * "prompt_id"}}} as each sampler step finishes. One connection per provider listens and
 * keeps the latest percentage per prompt, which the scheduled poll reads; nothing waits
 * on it. The connection is opened when work is queued and opened again after it drops;
 * without it jobs still finish, with progress only as queued or running.
 */
final class ComfyUiProgress {

	private static final Logger log = LoggerFactory.getLogger(ComfyUiProgress.class);

	/** How long after a failed or dropped connection the next attempt waits. */
	private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private final URI uri;

	private final ObjectMapper json;

	private final HttpClient client;

	private final Map<String, Integer> percent = new ConcurrentHashMap<>();

	private volatile WebSocket socket;

	private volatile boolean connecting;

	private volatile long nextAttempt;

	ComfyUiProgress(URI uri, ObjectMapper json, Duration connectTimeout) {
		this.uri = uri;
		this.json = json;
		this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
		// nanoTime may be negative: the first attempt is due now, not at its zero
		this.nextAttempt = System.nanoTime();
	}

	/**
	 * The websocket address with this client's id: the configured one, or {@code /ws} at
	 * the base URL ({@code ws://} or {@code wss://}) when none is.
	 */
	static URI websocketOf(URI baseUrl, URI configured, String clientId) {
		if (configured != null) {
			return URI.create(configured + (configured.getQuery() == null ? "?" : "&") + "clientId=" + clientId);
		}
		String base = baseUrl.toString().replaceFirst("^http", "ws");
		return URI.create((base.endsWith("/") ? base : base + "/") + "ws?clientId=" + clientId);
	}

	/** Opens the connection unless it is open, being opened, or failed a moment ago. */
	void listen() {
		WebSocket open = socket;
		if ((open != null && !open.isInputClosed()) || connecting || System.nanoTime() - nextAttempt < 0) {
			return;
		}
		synchronized (this) {
			if (connecting) {
				return;
			}
			connecting = true;
		}
		client.newWebSocketBuilder().buildAsync(uri, new Listener()).whenComplete((opened, failed) -> {
			if (failed != null) {
				log.debug("ComfyUI progress at {} is not reachable: {}", uri, failed.getMessage());
				nextAttempt = System.nanoTime() + RETRY_AFTER.toNanos();
			}
			else {
				socket = opened;
			}
			connecting = false;
		});
	}

	/** The last reported percentage of a prompt, 0 when none was. */
	int percentOf(String promptId) {
		return percent.getOrDefault(promptId, 0);
	}

	void forget(String promptId) {
		percent.remove(promptId);
	}

	void close() {
		WebSocket open = socket;
		if (open != null) {
			open.abort();
		}
	}

	void onMessage(String text) {
		JsonNode message;
		try {
			message = json.readTree(text);
		}
		catch (Exception notJson) {
			return;
		}
		if (!"progress".equals(message.path("type").asText())) {
			// status, executing, executed, ...: the poll reads those from /history
			return;
		}
		JsonNode data = message.path("data");
		String promptId = data.path("prompt_id").asText("");
		int max = data.path("max").asInt(0);
		if (promptId.isEmpty() || max <= 0) {
			return;
		}
		// 99 at most: done is when /history has the images
		percent.put(promptId, Math.min(99, data.path("value").asInt(0) * 100 / max));
	}

	private final class Listener implements WebSocket.Listener {

		private final StringBuilder partial = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			partial.append(data);
			if (last) {
				onMessage(partial.toString());
				partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			webSocket.request(1); // previews of the image being drawn: not needed
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			nextAttempt = System.nanoTime() + RETRY_AFTER.toNanos();
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			log.debug("ComfyUI progress at {} broke off: {}", uri, error.getMessage());
			nextAttempt = System.nanoTime() + RETRY_AFTER.toNanos();
		}

	}

}
