package io.switchboard.fakes;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A fake ComfyUI in its real wire format: {@code POST /prompt {prompt, client_id}}
 * answers {@code {prompt_id, number, node_errors}} (400 with {@code error} and
 * {@code node_errors} for a graph with an unknown node or an unfilled {@code {{...}}});
 * {@code GET /history/{id}} is {@code {}} while it works and then holds the outputs'
 * images; {@code GET /view?filename=&subfolder=&type=} gives their bytes;
 * {@code POST /upload/image} (multipart) stores an input image; {@code GET /queue} lists
 * what runs. Images follow the graph: {@code EmptyLatentImage}'s size and batch, a
 * {@code LoadImage}'s image repeated by {@code RepeatLatentBatch}, scaled by
 * {@code ImageScaleBy}. Its websocket ({@link #websocketUri()}, on a port of its own, as
 * the JDK's HTTP server cannot upgrade) sends {@code progress} messages, ten per prompt,
 * to the client whose {@code clientId} queued it.
 */
public final class FakeComfyUi extends FakeHttpServer {

	private final Map<String, Prompt> prompts = new ConcurrentHashMap<>();

	private final Map<String, byte[]> files = new ConcurrentHashMap<>();

	private final AtomicInteger number = new AtomicInteger();

	private volatile Duration workTime = Duration.ofMillis(200);

	private record Prompt(String id, JsonNode graph, long submitted, long workMillis) {
	}

	private final ProgressSocket socket = new ProgressSocket();

	private FakeComfyUi() {
		socket.start();
	}

	public static FakeComfyUi start() {
		return new FakeComfyUi();
	}

	/** The websocket, {@code ws://127.0.0.1:<port>/ws}. */
	public URI websocketUri() {
		return URI.create("ws://127.0.0.1:" + socket.port() + "/ws");
	}

	@Override
	public void close() {
		super.close();
		try {
			socket.stop(1000);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	public FakeComfyUi workTime(Duration workTime) {
		this.workTime = workTime;
		return this;
	}

	/** The last graph received. */
	public JsonNode lastGraph() {
		return prompts.values().stream().max((a, b) -> Long.compare(a.submitted, b.submitted)).orElseThrow().graph();
	}

	@Override
	protected Reply answer(RecordedRequest request) {
		String route = request.method() + " " + request.path();
		if (route.equals("POST /prompt")) {
			return prompt(request.json());
		}
		if (route.equals("POST /upload/image")) {
			MultipartForm.Part image = MultipartForm.parse(request.header("Content-Type"), request.body()).get("image");
			if (image == null) {
				return new Reply.Whole(400, Map.of(), new byte[0], Duration.ZERO);
			}
			files.put("input/" + image.fileName(), image.bytes());
			ObjectNode answer = Json.object();
			answer.put("name", image.fileName());
			answer.put("subfolder", "");
			answer.put("type", "input");
			return Reply.json(200, Json.write(answer));
		}
		if (route.startsWith("GET /history/")) {
			return history(request.path().substring("/history/".length()));
		}
		if (route.equals("GET /view")) {
			byte[] bytes = files.get(request.queryParam("type") + "/" + request.queryParam("filename"));
			return bytes == null ? Reply.json(404, "{}")
					: new Reply.Whole(200, Map.of("Content-Type", "image/png"), bytes, Duration.ZERO);
		}
		if (route.equals("GET /queue")) {
			ObjectNode answer = Json.object();
			ArrayNode running = answer.putArray("queue_running");
			long now = System.currentTimeMillis();
			prompts.values()
				.stream()
				.filter(p -> now < p.submitted + p.workMillis)
				.forEach(p -> running.addArray().add(0).add(p.id));
			answer.putArray("queue_pending");
			return Reply.json(200, Json.write(answer));
		}
		if (route.equals("POST /queue") || route.equals("POST /interrupt")) {
			return Reply.json(200, "{}");
		}
		return Reply.json(404, "{}");
	}

	private Reply prompt(JsonNode body) {
		JsonNode graph = body.path("prompt");
		ObjectNode nodeErrors = Json.object();
		Iterator<Map.Entry<String, JsonNode>> nodes = graph.fields();
		while (nodes.hasNext()) {
			Map.Entry<String, JsonNode> node = nodes.next();
			String type = node.getValue().path("class_type").asText("");
			if (type.isEmpty() || Json.write(node.getValue()).contains("{{")) {
				nodeErrors.putObject(node.getKey())
					.put("class_type", type)
					.putArray("errors")
					.addObject()
					.put("type", "value_not_valid")
					.put("message", "Value not valid");
			}
		}
		if (!nodeErrors.isEmpty() || !graph.isObject() || graph.isEmpty()) {
			ObjectNode answer = Json.object();
			answer.putObject("error")
				.put("type", "prompt_outputs_failed_validation")
				.put("message", "Prompt outputs failed validation");
			answer.set("node_errors", nodeErrors);
			return Reply.json(400, Json.write(answer));
		}
		String id = UUID.randomUUID().toString();
		long workMillis = workTime.toMillis();
		prompts.put(id, new Prompt(id, graph, System.currentTimeMillis(), workMillis));
		String clientId = body.path("client_id").asText("");
		Thread.ofVirtual().start(() -> socket.reportProgress(clientId, id, workMillis));
		ObjectNode answer = Json.object();
		answer.put("prompt_id", id);
		answer.put("number", number.incrementAndGet());
		answer.putObject("node_errors");
		return Reply.json(200, Json.write(answer));
	}

	private Reply history(String id) {
		Prompt prompt = prompts.get(id);
		if (prompt == null || System.currentTimeMillis() < prompt.submitted + prompt.workMillis) {
			return Reply.json(200, "{}");
		}
		ObjectNode answer = Json.object();
		ObjectNode entry = answer.putObject(id);
		entry.putArray("prompt").add(0).add(id);
		ArrayNode images = entry.putObject("outputs").putObject(saveNode(prompt.graph)).putArray("images");
		for (int i = 0; i < count(prompt.graph); i++) {
			String name = "switchboard_" + id.substring(0, 8) + "_" + (i + 1) + ".png";
			long seed = id.hashCode() + i;
			files.computeIfAbsent("output/" + name, key -> draw(prompt.graph, seed));
			images.addObject().put("filename", name).put("subfolder", "").put("type", "output");
		}
		entry.putObject("status").put("status_str", "success").put("completed", true).putArray("messages");
		return Reply.json(200, Json.write(answer));
	}

	private byte[] draw(JsonNode graph, long seed) {
		JsonNode load = node(graph, "LoadImage");
		JsonNode scale = node(graph, "ImageScaleBy");
		if (load != null) {
			byte[] source = files.get("input/" + load.path("inputs").path("image").asText());
			if (source == null) {
				throw new IllegalStateException("no uploaded image " + load.path("inputs").path("image").asText());
			}
			if (scale != null) {
				return FakePictures.enlarge(source,
						(int) Math.round(scale.path("inputs").path("scale_by").asDouble(2)));
			}
			var picture = FakePictures.read(source);
			return FakePictures.png(picture.getWidth(), picture.getHeight(), seed);
		}
		JsonNode latent = node(graph, "EmptyLatentImage");
		return FakePictures.png(latent.path("inputs").path("width").asInt(512),
				latent.path("inputs").path("height").asInt(512), seed);
	}

	private static int count(JsonNode graph) {
		JsonNode latent = node(graph, "EmptyLatentImage");
		if (latent != null) {
			return latent.path("inputs").path("batch_size").asInt(1);
		}
		JsonNode repeat = node(graph, "RepeatLatentBatch");
		return repeat != null ? repeat.path("inputs").path("amount").asInt(1) : 1;
	}

	private static String saveNode(JsonNode graph) {
		Iterator<Map.Entry<String, JsonNode>> nodes = graph.fields();
		while (nodes.hasNext()) {
			Map.Entry<String, JsonNode> node = nodes.next();
			if ("SaveImage".equals(node.getValue().path("class_type").asText())) {
				return node.getKey();
			}
		}
		return "9";
	}

	private static JsonNode node(JsonNode graph, String type) {
		for (JsonNode node : graph) {
			if (type.equals(node.path("class_type").asText())) {
				return node;
			}
		}
		return null;
	}

	/**
	 * ComfyUI's {@code /ws?clientId=...}: progress to the client that queued a prompt.
	 */
	private static final class ProgressSocket extends WebSocketServer {

		private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);

		private final Map<WebSocket, String> clients = new ConcurrentHashMap<>();

		ProgressSocket() {
			super(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			setReuseAddr(true);
		}

		int port() {
			try {
				started.await(10, java.util.concurrent.TimeUnit.SECONDS);
			}
			catch (InterruptedException interrupted) {
				Thread.currentThread().interrupt();
			}
			return getPort();
		}

		void reportProgress(String clientId, String promptId, long workMillis) {
			for (int step = 1; step < 10; step++) {
				try {
					Thread.sleep(Math.max(1, workMillis / 10));
				}
				catch (InterruptedException interrupted) {
					return;
				}
				ObjectNode message = Json.object().put("type", "progress");
				message.putObject("data").put("value", step).put("max", 10).put("prompt_id", promptId).put("node", "3");
				String text = Json.write(message);
				clients.forEach((connection, id) -> {
					if (id.equals(clientId) && connection.isOpen()) {
						connection.send(text);
					}
				});
			}
		}

		@Override
		public void onOpen(WebSocket connection, ClientHandshake handshake) {
			String resource = handshake.getResourceDescriptor();
			int at = resource.indexOf("clientId=");
			clients.put(connection, at < 0 ? "" : resource.substring(at + "clientId=".length()).split("&")[0]);
			ObjectNode status = Json.object().put("type", "status");
			status.putObject("data").putObject("status").putObject("exec_info").put("queue_remaining", 0);
			connection.send(Json.write(status));
		}

		@Override
		public void onClose(WebSocket connection, int code, String reason, boolean remote) {
			clients.remove(connection);
		}

		@Override
		public void onMessage(WebSocket connection, String message) {
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

	}

}
