package io.switchboard.fakes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 and a free port, standing in for an outside service in
 * tests. It records every request, answers from a queue of scripted replies first and
 * from {@link #answer(RecordedRequest)} after that, and can stream (chunked, every piece
 * flushed as it is written), pause, wait for a test's signal, stall or never answer.
 *
 * <p>
 * Subclasses speak one vendor's wire format by overriding {@link #answer}; tests can also
 * use it directly with {@link #enqueue(Reply)}.
 */
public class FakeHttpServer implements AutoCloseable {

	/** The longest any scripted wait lasts, so a broken test fails instead of hanging. */
	static final Duration MAX_WAIT = Duration.ofSeconds(30);

	private final HttpServer server;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final Queue<Function<RecordedRequest, Reply>> scripted = new ConcurrentLinkedQueue<>();

	private final AtomicInteger finishedReplies = new AtomicInteger();

	private final AtomicInteger abandonedStreams = new AtomicInteger();

	/** Released on close, so that hanging and stalled replies end with the server. */
	private final CountDownLatch closing = new CountDownLatch(1);

	public FakeHttpServer() {
		try {
			server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException cannotBind) {
			throw new UncheckedIOException(cannotBind);
		}
		server.setExecutor(executor);
		server.createContext("/", this::handle);
		server.start();
	}

	/** {@code http://127.0.0.1:<port>}, without a trailing slash. */
	public URI uri() {
		return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
	}

	public int port() {
		return server.getAddress().getPort();
	}

	/** Every request so far, oldest first. */
	public List<RecordedRequest> requests() {
		return List.copyOf(requests);
	}

	/** The newest request; fails when there was none. */
	public RecordedRequest lastRequest() {
		if (requests.isEmpty()) {
			throw new IllegalStateException("the fake has received no request");
		}
		return requests.getLast();
	}

	/**
	 * How many replies have been sent completely. A reply counts just before its last
	 * bytes leave, so a client holding a whole answer always sees it counted, and a
	 * client handed a piece while this is still 0 got it before the answer was complete.
	 */
	public int finishedReplies() {
		return finishedReplies.get();
	}

	/**
	 * How many streamed answers the client closed before their end: a write to the
	 * connection failed, as it does for an upstream whose caller cancelled.
	 */
	public int abandonedStreams() {
		return abandonedStreams.get();
	}

	/** Answers the next request with {@code reply}, ahead of the default answer. */
	public void enqueue(Reply reply) {
		scripted.add(request -> reply);
	}

	/**
	 * Answers the next request with what {@code responder} makes of it, ahead of the
	 * default answer.
	 */
	public void enqueue(Function<RecordedRequest, Reply> responder) {
		scripted.add(responder);
	}

	private final java.util.concurrent.atomic.AtomicInteger cutBodies = new java.util.concurrent.atomic.AtomicInteger();

	/**
	 * Cuts the next whole (not streamed) answer half-way: its full {@code Content-Length}
	 * is announced, half the body sent, then the connection dropped, as an upstream that
	 * crashes mid-answer would.
	 */
	public void cutNextBodyHalfway() {
		cutBodies.incrementAndGet();
	}

	/** Forgets scripted replies and recorded requests. */
	public void reset() {
		cutBodies.set(0);
		abandonedStreams.set(0);
		scripted.clear();
		requests.clear();
	}

	/**
	 * The answer when nothing is scripted. This base answers 404; vendor fakes override
	 * it.
	 */
	protected Reply answer(RecordedRequest request) {
		return Reply.json(404, "{\"error\":\"no route for " + request.method() + " " + request.path() + "\"}");
	}

	@Override
	public void close() {
		closing.countDown();
		server.stop(0);
		executor.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		RecordedRequest request = record(exchange);
		requests.add(request);
		Function<RecordedRequest, Reply> responder = scripted.poll();
		Reply reply = responder != null ? responder.apply(request) : answer(request);
		if (reply instanceof Reply.Whole whole && cutBodies.get() > 0 && cutBodies.decrementAndGet() >= 0) {
			// the whole length is announced, half the body is sent, and the connection
			// drops
			exchange.sendResponseHeaders(whole.status(), whole.body().length);
			OutputStream out = exchange.getResponseBody();
			out.write(whole.body(), 0, whole.body().length / 2);
			out.flush();
			throw new Abort();
		}
		// no try-with-resources: a Drop step leaves with an exception and must not close
		// the exchange, which would end the chunked answer cleanly; the server then drops
		// the connection mid-answer, as a crashing upstream would
		write(exchange, reply);
		exchange.close();
	}

	private RecordedRequest record(HttpExchange exchange) throws IOException {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		exchange.getRequestHeaders()
			.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
		byte[] body;
		try (InputStream in = exchange.getRequestBody()) {
			body = in.readAllBytes();
		}
		URI uri = exchange.getRequestURI();
		return new RecordedRequest(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(), headers, body,
				System.nanoTime());
	}

	private void write(HttpExchange exchange, Reply reply) throws IOException {
		switch (reply) {
			case Reply.Whole whole -> {
				pause(whole.firstByteDelay());
				whole.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
				finishedReplies.incrementAndGet();
				exchange.sendResponseHeaders(whole.status(), whole.body().length == 0 ? -1 : whole.body().length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(whole.body());
				}
			}
			case Reply.Stream stream -> {
				pause(stream.firstByteDelay());
				stream.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
				exchange.sendResponseHeaders(stream.status(), 0); // 0: chunked
				OutputStream out = exchange.getResponseBody();
				for (Step step : stream.steps()) {
					switch (step) {
						case Step.Send send -> {
							try {
								out.write(send.bytes());
								out.flush(); // one chunk on the wire per piece
							}
							catch (IOException clientLeft) {
								abandonedStreams.incrementAndGet();
								throw clientLeft;
							}
						}
						case Step.Pause pause -> pause(pause.duration());
						case Step.Await await -> await(await.signal());
						case Step.Stall stall -> {
							awaitClosing();
							return;
						}
						case Step.Drop drop -> throw new Abort();
					}
				}
				finishedReplies.incrementAndGet();
				out.close(); // the last chunk
			}
			case Reply.Hang hang -> awaitClosing();
		}
	}

	private void pause(Duration duration) {
		if (duration.isZero() || duration.isNegative()) {
			return;
		}
		try {
			closing.await(Math.min(duration.toMillis(), MAX_WAIT.toMillis()), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	private void await(CountDownLatch signal) {
		try {
			long deadline = System.nanoTime() + MAX_WAIT.toNanos();
			while (closing.getCount() > 0 && System.nanoTime() < deadline) {
				if (signal.await(20, TimeUnit.MILLISECONDS)) {
					return;
				}
			}
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	private void awaitClosing() {
		pause(MAX_WAIT);
	}

	/** A recorded request. Header names are lower case. */
	public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
			byte[] body, long receivedAtNanos) {

		/** The first value of a header, or {@code null}. */
		public String header(String name) {
			List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
			return values == null || values.isEmpty() ? null : values.getFirst();
		}

		/** A query parameter's decoded value, or {@code null}. */
		public String queryParam(String name) {
			if (query == null) {
				return null;
			}
			for (String pair : query.split("&")) {
				int eq = pair.indexOf('=');
				String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
				if (key.equals(name)) {
					return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
				}
			}
			return null;
		}

		public String bodyText() {
			return new String(body, StandardCharsets.UTF_8);
		}

		/** The body parsed as JSON. */
		public com.fasterxml.jackson.databind.JsonNode json() {
			return Json.read(body);
		}

		@Override
		public String toString() {
			return method + " " + path + (query == null ? "" : "?" + query) + " (" + body.length + " bytes)";
		}

	}

	/** How the fake answers one request. */
	public sealed interface Reply permits Reply.Whole, Reply.Stream, Reply.Hang {

		/** Accepts the request and never answers, until the server closes. */
		Reply HANG = new Hang();

		static Whole json(int status, String json) {
			return new Whole(status, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8),
					Duration.ZERO);
		}

		/** A complete answer, sent after {@code firstByteDelay}. */
		record Whole(int status, Map<String, String> headers, byte[] body, Duration firstByteDelay) implements Reply {

			public Whole withHeader(String name, String value) {
				Map<String, String> more = new LinkedHashMap<>(headers);
				more.put(name, value);
				return new Whole(status, more, body, firstByteDelay);
			}

			public Whole withFirstByteDelay(Duration delay) {
				return new Whole(status, headers, body, delay);
			}

		}

		/** A chunked answer written step by step, after {@code firstByteDelay}. */
		record Stream(int status, Map<String, String> headers, List<Step> steps,
				Duration firstByteDelay) implements Reply {

			public Stream {
				steps = List.copyOf(steps);
			}

			/** A {@code text/event-stream} answer. */
			public static Stream events(List<Step> steps) {
				return new Stream(200, Map.of("Content-Type", "text/event-stream", "Cache-Control", "no-cache"), steps,
						Duration.ZERO);
			}

			public Stream withFirstByteDelay(Duration delay) {
				return new Stream(status, headers, steps, delay);
			}

		}

		/** Never answers. */
		record Hang() implements Reply {
		}

	}

	/** One step of a streamed answer. */
	public sealed interface Step permits Step.Send, Step.Pause, Step.Await, Step.Stall, Step.Drop {

		static Send send(String text) {
			return new Send(text.getBytes(StandardCharsets.UTF_8));
		}

		/** Writes and flushes these bytes. */
		record Send(byte[] bytes) implements Step {
		}

		/** Waits a while before the next step. */
		record Pause(Duration duration) implements Step {
		}

		/**
		 * Waits until the test counts {@code signal} down (at most {@link #MAX_WAIT}), to
		 * show that what was sent so far arrived while the answer was still open.
		 */
		record Await(CountDownLatch signal) implements Step {
		}

		/** Keeps the connection open and sends nothing more, until the server closes. */
		record Stall() implements Step {
		}

		/** Drops the connection without finishing the answer. */
		record Drop() implements Step {
		}

	}

	/** Thrown to make the server drop a connection mid-answer. */
	private static final class Abort extends RuntimeException {

		Abort() {
			super("connection dropped by the fake on purpose", null, false, false);
		}

	}

	/** Builds the steps of an event stream. */
	public static final class Steps {

		private final List<Step> steps = new ArrayList<>();

		public Steps send(String text) {
			steps.add(Step.send(text));
			return this;
		}

		public Steps add(Step step) {
			steps.add(step);
			return this;
		}

		public Steps pause(Duration duration) {
			if (!duration.isZero()) {
				steps.add(new Step.Pause(duration));
			}
			return this;
		}

		public List<Step> build() {
			return List.copyOf(steps);
		}

	}

}
