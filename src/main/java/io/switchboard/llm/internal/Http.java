package io.switchboard.llm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpRetryException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One blocking HTTP exchange on the calling thread, for the model adapters. It uses
 * {@link HttpURLConnection} rather than {@code java.net.http.HttpClient} for one reason:
 * its read timeout bounds every read of the body, so a streamed answer that falls silent
 * midway fails with a {@link java.net.SocketTimeoutException}; the newer client's timeout
 * only covers the wait for the response headers, after which a stalled stream hangs
 * forever.
 */
public final class Http {

	private Http() {
	}

	/**
	 * Sends a request and returns once the response headers have arrived.
	 * @param body the request body, or {@code null} for none
	 * @param readTimeout the longest wait for the headers and for each read of the body
	 */
	public static Answer send(URI uri, String method, Map<String, List<String>> headers, byte[] body,
			Duration connectTimeout, Duration readTimeout) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
		connection.setConnectTimeout(millis(connectTimeout));
		connection.setReadTimeout(millis(readTimeout));
		connection.setRequestMethod(method);
		headers.forEach((name, values) -> values.forEach(value -> connection.addRequestProperty(name, value)));
		if (body != null) {
			connection.setDoOutput(true);
			// a fixed length also keeps HttpURLConnection from silently sending a POST
			// twice when a kept-alive connection turns out closed
			connection.setFixedLengthStreamingMode(body.length);
			try (OutputStream out = connection.getOutputStream()) {
				out.write(body);
			}
		}
		int status;
		try {
			status = connection.getResponseCode();
		}
		catch (HttpRetryException authenticationChallenge) {
			// a 401 with WWW-Authenticate on a streamed POST surfaces as this
			return new Answer(authenticationChallenge.responseCode(), Map.of(), InputStream.nullInputStream());
		}
		InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
		return new Answer(status, headers(connection), in == null ? InputStream.nullInputStream() : in);
	}

	private static Map<String, List<String>> headers(HttpURLConnection connection) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		connection.getHeaderFields().forEach((name, values) -> {
			if (name != null) { // the status line
				headers.put(name, values);
			}
		});
		return headers;
	}

	private static int millis(Duration duration) {
		// 0 would mean "wait forever" to HttpURLConnection
		return (int) Math.clamp(duration.toMillis(), 1, Integer.MAX_VALUE);
	}

	/**
	 * A response whose body is still to be read; closing the body ends the exchange.
	 */
	public record Answer(int status, Map<String, List<String>> headers, InputStream body) {

		public boolean successful() {
			return status >= 200 && status < 300;
		}

		/** A header's first value, by case-insensitive name, or {@code null}. */
		public String header(String name) {
			return headers.entrySet()
				.stream()
				.filter(header -> header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty())
				.map(header -> header.getValue().getFirst())
				.findFirst()
				.orElse(null);
		}

		/** Reads the whole body as text and closes it; empty when it cannot be read. */
		public String text() {
			try (InputStream in = body) {
				return new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException unreadable) {
				return "";
			}
		}

	}

}
