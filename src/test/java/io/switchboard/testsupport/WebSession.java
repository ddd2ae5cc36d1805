package io.switchboard.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a browser: a cookie-keeping HTTP client that signs in through the
 * real sign-in form and sends the CSRF token the pages carry, for tests of the web pages
 * over real HTTP.
 */
public final class WebSession {

	private static final Pattern HIDDEN_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final Pattern META_CSRF = Pattern.compile("name=\"_csrf\" content=\"([^\"]+)\"");

	private final String base;

	private final HttpClient http;

	private String csrf;

	public WebSession(int port) {
		this.base = "http://127.0.0.1:" + port;
		this.http = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.version(HttpClient.Version.HTTP_1_1)
			.build();
	}

	private WebSession(String base, HttpClient http, String csrf) {
		this.base = base;
		this.http = http;
		this.csrf = csrf;
	}

	/**
	 * The same browser (its cookies, its CSRF token) talking to another server on this
	 * host: another node behind the same load balancer.
	 */
	public WebSession on(int port) {
		return new WebSession("http://127.0.0.1:" + port, http, csrf);
	}

	/**
	 * Signs in through the form; returns the redirect target (ends with {@code ?error} on
	 * failure).
	 */
	public String signIn(String username, String password) {
		get("/login");
		HttpResponse<String> response = postForm("/login", Map.of("username", username, "password", password));
		return response.headers().firstValue("Location").orElse("");
	}

	public HttpResponse<String> get(String path) {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
		remember(response.body());
		return response;
	}

	public HttpResponse<String> postForm(String path, Map<String, String> fields) {
		String body = fields.entrySet()
			.stream()
			.map(field -> encode(field.getKey()) + "=" + encode(field.getValue()))
			.collect(Collectors.joining("&"));
		if (csrf != null) {
			body += (body.isEmpty() ? "" : "&") + "_csrf=" + encode(csrf);
		}
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/**
	 * A multipart POST as the chat page's script sends it, the CSRF token in a header.
	 */
	public HttpResponse<String> postMultipart(String path, Map<String, String> fields, String fileField,
			String fileName, byte[] file) {
		return send(multipart(path, fields, fileField, fileName, file));
	}

	/**
	 * A multipart POST of the chat page (without a file), answered as soon as the
	 * response's headers arrive: its event stream is read line by line as it comes.
	 */
	public HttpResponse<java.util.stream.Stream<String>> postMultipartStreaming(String path,
			Map<String, String> fields) {
		try {
			return http.send(multipart(path, fields, null, null, null).build(), HttpResponse.BodyHandlers.ofLines());
		}
		catch (IOException failed) {
			throw new IllegalStateException(failed);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(interrupted);
		}
	}

	private HttpRequest.Builder multipart(String path, Map<String, String> fields, String fileField, String fileName,
			byte[] file) {
		String boundary = "----switchboard" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		fields.forEach((name, value) -> write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\""
				+ name + "\"\r\n\r\n" + value + "\r\n"));
		if (file != null) {
			write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
					+ fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
			body.writeBytes(file);
			write(body, "\r\n");
		}
		write(body, "--" + boundary + "--\r\n");
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.header("Accept", "text/event-stream, application/json")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
		if (csrf != null) {
			request.header("X-CSRF-TOKEN", csrf);
		}
		return request;
	}

	/**
	 * A JSON request as a script on the pages sends it: the CSRF token in the
	 * {@code X-CSRF-TOKEN} header (left out when {@code withCsrf} is false).
	 */
	public HttpResponse<String> json(String method, String path, String body, boolean withCsrf) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.method(method,
					body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (withCsrf && csrf != null) {
			request.header("X-CSRF-TOKEN", csrf);
		}
		return send(request);
	}

	public HttpResponse<String> json(String method, String path, String body) {
		return json(method, path, body, true);
	}

	/** A JSON POST as a page's script sends it, the CSRF token in a header. */
	public HttpResponse<String> postJson(String path, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (csrf != null) {
			request.header("X-CSRF-TOKEN", csrf);
		}
		return send(request);
	}

	/** A GET whose answer is read line by line as it arrives (Server-Sent Events). */
	public HttpResponse<java.util.stream.Stream<String>> stream(String path) {
		try {
			return http.send(HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream").GET().build(),
					HttpResponse.BodyHandlers.ofLines());
		}
		catch (IOException failed) {
			throw new IllegalStateException(failed);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(interrupted);
		}
	}

	/** A GET of bytes (an image). */
	public HttpResponse<byte[]> getBytes(String path) {
		try {
			return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException failed) {
			throw new IllegalStateException(failed);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(interrupted);
		}
	}

	public String csrf() {
		return csrf;
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException failed) {
			throw new IllegalStateException(failed);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(interrupted);
		}
	}

	private void remember(String page) {
		Matcher hidden = HIDDEN_CSRF.matcher(page);
		Matcher meta = META_CSRF.matcher(page);
		if (meta.find()) {
			csrf = meta.group(1);
		}
		else if (hidden.find()) {
			csrf = hidden.group(1);
		}
	}

	private URI uri(String path) {
		return URI.create(base + path);
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static void write(ByteArrayOutputStream out, String text) {
		out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
	}

}
