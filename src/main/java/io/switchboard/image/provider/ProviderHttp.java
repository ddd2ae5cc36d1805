package io.switchboard.image.provider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * HTTP for the image providers, on the JDK's client. Short calls (submitting to a backend
 * with task ids, polling) block the calling step briefly with a bound on the wait; long
 * calls (a backend that answers only when the drawing is done) are sent asynchronously,
 * so no thread waits for them. Failures become {@link ImageProviderException}s worded for
 * the user: 429 and 5xx and connection trouble are retriable, other 4xx are refused.
 */
public final class ProviderHttp {

	/** The longest a short call may take. */
	static final Duration SHORT_CALL = Duration.ofSeconds(30);

	/**
	 * The longest a drawing call may take (the job's own timeout usually ends it first).
	 */
	static final Duration LONG_CALL = Duration.ofMinutes(30);

	private final String provider;

	private final URI base;

	private final HttpClient client;

	private final ObjectMapper json;

	private final Map<String, String> headers;

	public ProviderHttp(String provider, URI base, Duration connectTimeout, ObjectMapper json,
			Map<String, String> headers) {
		this.provider = provider;
		this.base = base;
		this.json = json;
		this.headers = Map.copyOf(headers);
		this.client = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			// answers are handled on virtual threads: a thousand calls in flight cost no
			// platform threads while they wait (the client's selector does the waiting)
			.executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
			.followRedirects(HttpClient.Redirect.NORMAL)
			.version(HttpClient.Version.HTTP_1_1)
			.build();
	}

	/** An {@code Authorization: Basic} header value. */
	public static String basic(String username, String password) {
		return "Basic " + Base64.getEncoder()
			.encodeToString((username + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
	}

	public ObjectMapper json() {
		return json;
	}

	public URI uri(String path) {
		String root = base.toString();
		if (root.endsWith("/")) {
			root = root.substring(0, root.length() - 1);
		}
		return URI.create(root + (path.startsWith("/") ? path : "/" + path));
	}

	/** A short JSON POST. */
	public JsonNode postJson(String path, Object body) {
		return join(postJsonAsync(path, body, SHORT_CALL));
	}

	/** A short GET answered with JSON. */
	public JsonNode getJson(String path) {
		return join(sendAsync(request(uri(path), SHORT_CALL).GET(), path).thenApply(this::parse));
	}

	/** A short GET of bytes (an image), from a path or an absolute URL. */
	public byte[] getBytes(String pathOrUrl) {
		URI target = pathOrUrl.startsWith("http://") || pathOrUrl.startsWith("https://") ? URI.create(pathOrUrl)
				: uri(pathOrUrl);
		return join(sendAsync(request(target, SHORT_CALL).GET(), target.getPath()));
	}

	/** A JSON POST whose answer may take as long as a drawing: nothing waits for it. */
	public CompletableFuture<JsonNode> postJsonAsync(String path, Object body, Duration timeout) {
		byte[] bytes;
		try {
			bytes = json.writeValueAsBytes(body);
		}
		catch (JsonProcessingException impossible) {
			throw new IllegalStateException(impossible);
		}
		return sendAsync(request(uri(path), timeout).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), path).thenApply(this::parse);
	}

	/** A multipart POST (file uploads), answered with JSON; nothing waits for it. */
	public CompletableFuture<JsonNode> postMultipartAsync(String path, Multipart form, Duration timeout) {
		return sendAsync(request(uri(path), timeout).header("Content-Type", form.contentType())
			.POST(HttpRequest.BodyPublishers.ofByteArray(form.body())), path).thenApply(this::parse);
	}

	/** Waits for a short call, unwrapping its failure. */
	public static <T> T join(CompletableFuture<T> call) {
		try {
			return call.join();
		}
		catch (CompletionException failed) {
			if (failed.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw failed;
		}
	}

	private HttpRequest.Builder request(URI uri, Duration timeout) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
		headers.forEach(request::header);
		return request;
	}

	private CompletableFuture<byte[]> sendAsync(HttpRequest.Builder request, String what) {
		return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
			.handle((response, failure) -> {
				if (failure != null) {
					throw transport(failure instanceof CompletionException ? failure.getCause() : failure, what);
				}
				int status = response.statusCode();
				if (status >= 200 && status < 300) {
					return response.body();
				}
				throw status(status, response.body(), what);
			});
	}

	private JsonNode parse(byte[] body) {
		try {
			return json.readTree(body);
		}
		catch (IOException broken) {
			throw new ImageProviderException.Retriable(
					"The image provider " + provider + " sent an answer that cannot be read.", broken);
		}
	}

	private ImageProviderException transport(Throwable failure, String what) {
		if (failure instanceof ImageProviderException already) {
			return already;
		}
		if (failure instanceof HttpConnectTimeoutException || failure instanceof ConnectException) {
			return new ImageProviderException.Retriable("The image provider " + provider + " cannot be reached.",
					failure);
		}
		if (failure instanceof HttpTimeoutException) {
			return new ImageProviderException.Retriable("The image provider " + provider + " did not answer in time.",
					failure);
		}
		return new ImageProviderException.Retriable(
				"The connection to the image provider " + provider + " failed (" + what + ").", failure);
	}

	private ImageProviderException status(int status, byte[] body, String what) {
		String detail = detail(body);
		String message = "The image provider " + provider + " answered HTTP " + status
				+ (detail == null ? "" : ": " + detail);
		IllegalStateException cause = new IllegalStateException(what + " -> HTTP " + status);
		if (status == 429 || status >= 500) {
			return new ImageProviderException.Retriable(message, cause);
		}
		if (refusedContent(body)) {
			return new ImageProviderException.Refused(
					"The image provider " + provider + " refused the prompt" + (detail == null ? "." : ": " + detail),
					cause);
		}
		if (status == 401 || status == 403) {
			return new ImageProviderException.Refused("The image provider " + provider
					+ " refused this server's credentials (HTTP " + status + "); an admin must check its settings.",
					cause);
		}
		return new ImageProviderException.Refused(message, cause);
	}

	/** Whether the body is a content-policy refusal (OpenAI's moderation codes). */
	private boolean refusedContent(byte[] body) {
		try {
			String code = body == null || body.length == 0 ? ""
					: json.readTree(body).path("error").path("code").asText("");
			return code.contains("content_policy") || code.contains("moderation");
		}
		catch (IOException notJson) {
			return false;
		}
	}

	/** The error message a backend put in its body, if it is JSON with one. */
	private String detail(byte[] body) {
		if (body == null || body.length == 0) {
			return null;
		}
		try {
			JsonNode node = json.readTree(body);
			for (JsonNode candidate : new JsonNode[] { node.path("error").path("message"), node.path("error"),
					node.path("detail"), node.path("description"), node.path("message") }) {
				if (candidate.isTextual() && !candidate.asText().isBlank()) {
					return shorten(candidate.asText());
				}
			}
			return null;
		}
		catch (IOException notJson) {
			return null;
		}
	}

	private static String shorten(String text) {
		return text.length() > 300 ? text.substring(0, 300) + "…" : text;
	}

	/** A {@code multipart/form-data} body. */
	public static final class Multipart {

		private final String boundary = "----switchboard-" + UUID.randomUUID();

		private final ByteArrayOutputStream body = new ByteArrayOutputStream();

		private final Map<String, String> fields = new LinkedHashMap<>();

		public Multipart field(String name, String value) {
			fields.put(name, value);
			write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
					+ "\r\n");
			return this;
		}

		public Multipart file(String name, String fileName, String contentType, byte[] bytes) {
			write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
					+ "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
			body.writeBytes(bytes);
			write("\r\n");
			return this;
		}

		String contentType() {
			return "multipart/form-data; boundary=" + boundary;
		}

		byte[] body() {
			ByteArrayOutputStream all = new ByteArrayOutputStream();
			all.writeBytes(body.toByteArray());
			all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
			return all.toByteArray();
		}

		private void write(String text) {
			body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
		}

	}

}
