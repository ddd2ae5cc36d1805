import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A tiny, fast OpenAI-compatible upstream for the gateway benchmark: answers every POST
 * with one fixed chat completion (or a fixed event stream when the body says
 * "stream":true), over keep-alive HTTP/1.1, a virtual thread per connection. With a
 * delay it spreads the streamed answer over that many milliseconds (the "slow upstream").
 *
 * <p>
 * Run: {@code java bench/FakeUpstream.java <port> [delayMillis]}
 */
public class FakeUpstream {

	static final byte[] WHOLE_BODY = """
			{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench-upstream",\
			"choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the fixed upstream."},\
			"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":7,\
			"total_tokens":19}}""".getBytes(StandardCharsets.UTF_8);

	static final byte[] WHOLE = concat(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
			+ WHOLE_BODY.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), WHOLE_BODY);

	static final byte[] STREAM_HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
		.getBytes(StandardCharsets.US_ASCII);

	static final String CHUNK = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
			+ "\"model\":\"bench-upstream\",\"choices\":[{\"index\":0,\"delta\":%s,\"finish_reason\":%s}]}";

	static final String[] EVENTS = { CHUNK.formatted("{\"role\":\"assistant\",\"content\":\"\"}", "null"),
			CHUNK.formatted("{\"content\":\"Hello\"}", "null"), CHUNK.formatted("{\"content\":\" from the\"}", "null"),
			CHUNK.formatted("{\"content\":\" fixed upstream.\"}", "null"), CHUNK.formatted("{}", "\"stop\""),
			"{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
					+ "\"model\":\"bench-upstream\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,"
					+ "\"completion_tokens\":7,\"total_tokens\":19}}",
			"[DONE]" };

	public static void main(String[] args) throws IOException {
		int port = Integer.parseInt(args[0]);
		long delay = args.length > 1 ? Long.parseLong(args[1]) : 0;
		try (ServerSocket server = new ServerSocket(port, 8192, InetAddress.getLoopbackAddress())) {
			System.out.println("fake upstream on 127.0.0.1:" + port + (delay > 0 ? ", " + delay + " ms per answer" : ""));
			while (true) {
				Socket socket = server.accept();
				Thread.ofVirtual().start(() -> serve(socket, delay));
			}
		}
	}

	static void serve(Socket socket, long delay) {
		try (socket) {
			socket.setTcpNoDelay(true);
			InputStream in = new BufferedInputStream(socket.getInputStream(), 16384);
			OutputStream out = socket.getOutputStream();
			while (true) {
				int length = readHead(in);
				if (length < 0) {
					return;
				}
				byte[] body = in.readNBytes(Math.min(length, 1 << 20));
				int read = body.length;
				if (contains(body, read, "\"stream\":true")) {
					stream(out, delay, contains(body, read, "\"include_usage\":true"));
				}
				else {
					if (delay > 0) {
						Thread.sleep(delay);
					}
					out.write(WHOLE);
					out.flush();
				}
			}
		}
		catch (IOException | InterruptedException closed) {
			// the client went away
		}
	}

	static void stream(OutputStream out, long delay, boolean usage) throws IOException, InterruptedException {
		out.write(STREAM_HEAD);
		for (int i = 0; i < EVENTS.length; i++) {
			if (i == 5 && !usage) {
				continue;
			}
			if (delay > 0 && i > 0 && i < 5) {
				Thread.sleep(delay / 4);
			}
			byte[] event = ("data: " + EVENTS[i] + "\n\n").getBytes(StandardCharsets.UTF_8);
			out.write((Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.write(event);
			out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
			if (delay > 0 || i == 0) {
				out.flush();
			}
		}
		out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	/** Reads a request head; returns its Content-Length, or -1 at the end of the connection. */
	static int readHead(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int length = 0;
		boolean any = false;
		int c;
		while ((c = in.read()) != -1) {
			any = true;
			if (c == '\n') {
				if (line.isEmpty()) {
					return length;
				}
				String header = line.toString();
				if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
					length = Integer.parseInt(header.substring(15).strip());
				}
				line.setLength(0);
			}
			else if (c != '\r') {
				line.append((char) c);
			}
		}
		return any ? length : -1;
	}

	static boolean contains(byte[] haystack, int length, String needle) {
		byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
		outer: for (int i = 0; i <= length - n.length; i++) {
			for (int j = 0; j < n.length; j++) {
				if (haystack[i + j] != n[j]) {
					continue outer;
				}
			}
			return true;
		}
		return false;
	}

	static byte[] concat(byte[] a, byte[] b) {
		byte[] both = new byte[a.length + b.length];
		System.arraycopy(a, 0, both, 0, a.length);
		System.arraycopy(b, 0, both, a.length, b.length);
		return both;
	}

}
