package io.switchboard.fakes;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * Slack's Socket Mode server on 127.0.0.1: the app connects to the URL
 * {@code apps.connections.open} gave it, gets {@code hello}, and is sent envelopes
 * {@code {envelope_id, type, payload, accepts_response_payload, retry_attempt,
 * retry_reason}} which it must acknowledge with {@code {"envelope_id": ...}} (and
 * optionally a payload).
 */
public final class FakeSlackSocketMode extends WebSocketServer {

	private final CountDownLatch started = new CountDownLatch(1);

	private final List<WebSocket> connections = new CopyOnWriteArrayList<>();

	private final List<JsonNode> acks = new CopyOnWriteArrayList<>();

	private final AtomicInteger opened = new AtomicInteger();

	private FakeSlackSocketMode() {
		super(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		setReuseAddr(true);
	}

	static FakeSlackSocketMode launch() {
		FakeSlackSocketMode server = new FakeSlackSocketMode();
		server.start();
		try {
			if (!server.started.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the fake Socket Mode server did not start");
			}
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(interrupted);
		}
		return server;
	}

	/**
	 * The URL {@code apps.connections.open} answers, with a fresh ticket as Slack's has.
	 */
	String connectUrl() {
		return "ws://127.0.0.1:" + getPort() + "/link/?ticket=" + UUID.randomUUID() + "&app_id=" + FakeSlack.APP_ID;
	}

	/** How many connections the app has opened so far. */
	public int connectionsOpened() {
		return opened.get();
	}

	/** Waits until the app is connected. */
	public boolean awaitConnection(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (connections.stream().anyMatch(WebSocket::isOpen)) {
				return true;
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException interrupted) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return false;
	}

	/** Every acknowledgement the app sent, oldest first. */
	public List<JsonNode> acks() {
		return List.copyOf(acks);
	}

	/** Whether an envelope has been acknowledged. */
	public boolean acknowledged(String envelopeId) {
		return acks.stream().anyMatch(ack -> envelopeId.equals(ack.path("envelope_id").asText()));
	}

	/** Sends an Events API envelope; returns its envelope id. */
	public String sendEvent(ObjectNode eventCallback, int retryAttempt) {
		ObjectNode envelope = Json.object()
			.put("envelope_id", UUID.randomUUID().toString())
			.put("type", "events_api")
			.put("accepts_response_payload", false)
			.put("retry_attempt", retryAttempt)
			.put("retry_reason", retryAttempt == 0 ? "" : "timeout");
		envelope.set("payload", eventCallback);
		send(envelope);
		return envelope.path("envelope_id").asText();
	}

	/** Sends a slash command envelope; returns its envelope id. */
	public String sendSlashCommand(Map<String, String> fields) {
		ObjectNode payload = Json.object();
		fields.forEach(payload::put);
		ObjectNode envelope = Json.object()
			.put("envelope_id", UUID.randomUUID().toString())
			.put("type", "slash_commands")
			.put("accepts_response_payload", true);
		envelope.set("payload", payload);
		send(envelope);
		return envelope.path("envelope_id").asText();
	}

	/** Sends an interactivity envelope (block_actions, view_submission). */
	public String sendInteraction(ObjectNode payload) {
		ObjectNode envelope = Json.object()
			.put("envelope_id", UUID.randomUUID().toString())
			.put("type", "interactive")
			.put("accepts_response_payload", true);
		envelope.set("payload", payload);
		send(envelope);
		return envelope.path("envelope_id").asText();
	}

	/** Asks the app to reconnect, as Slack does every few hours. */
	public void sendDisconnect() {
		send(Json.object().put("type", "disconnect").put("reason", "refresh_requested"));
	}

	private void send(JsonNode message) {
		String text = Json.write(message);
		for (WebSocket connection : connections) {
			if (connection.isOpen()) {
				connection.send(text);
				return;
			}
		}
		throw new IllegalStateException("the app is not connected");
	}

	@Override
	public void onOpen(WebSocket connection, ClientHandshake handshake) {
		if (!handshake.getResourceDescriptor().startsWith("/link/?ticket=")) {
			connection.close(1008, "invalid ticket");
			return;
		}
		opened.incrementAndGet();
		connections.add(connection);
		ObjectNode hello = Json.object().put("type", "hello").put("num_connections", 1);
		hello.putObject("debug_info")
			.put("host", "fake-socket-mode")
			.put("build_number", 1)
			.put("approximate_connection_time", 18060);
		hello.putObject("connection_info").put("app_id", FakeSlack.APP_ID);
		connection.send(Json.write(hello));
	}

	@Override
	public void onClose(WebSocket connection, int code, String reason, boolean remote) {
		connections.remove(connection);
	}

	@Override
	public void onMessage(WebSocket connection, String message) {
		acks.add(Json.read(message));
	}

	@Override
	public void onMessage(WebSocket connection, ByteBuffer message) {
	}

	@Override
	public void onError(WebSocket connection, Exception failure) {
	}

	@Override
	public void onStart() {
		started.countDown();
	}

	public void close() {
		try {
			stop(1000);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}
