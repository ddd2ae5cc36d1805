package io.switchboard.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;

/**
 * The OpenAI-compatible endpoints under {@code /v1}, registered once, as the first filter
 * for {@code /v1/*}: it authenticates the caller (a Bearer API key, or a trusted network
 * when that is configured), answers the request and never passes it on, so none of the
 * web pages' machinery (Spring Security's chain, MVC's handler mappings, the HTTP
 * observation) runs for an API call. Every failure is answered in OpenAI's error format.
 */
@Component
class Gateway implements Filter {

	private static final Logger log = LoggerFactory.getLogger(Gateway.class);

	/** The gateway's own time in the answer, in milliseconds. */
	static final String OVERHEAD_HEADER = "X-Switchboard-Overhead-Ms";

	/**
	 * Names a Switchboard session (e.g. {@code 12} or {@code #12}) to store the exchange
	 * in.
	 */
	static final String SESSION_HEADER = "X-Switchboard-Session";

	private final ApiKeys keys;

	private final ChatCompletions chat;

	private final ImageGenerations images;

	private final AudioTranscriptions transcriptions;

	private final ModelCatalog catalog;

	private final ObjectMapper mapper;

	private final long maxBody;

	private final long startedAt;

	private final List<IpAddressMatcher> trusted;

	private final Long anonymousKey;

	Gateway(ApiKeys keys, ChatCompletions chat, ImageGenerations images, AudioTranscriptions transcriptions,
			ModelCatalog catalog, ObjectMapper mapper, ApiProperties properties, Clock clock) {
		this.transcriptions = transcriptions;
		this.keys = keys;
		this.chat = chat;
		this.images = images;
		this.catalog = catalog;
		this.mapper = mapper;
		this.maxBody = properties.maxRequestSize().toBytes();
		this.startedAt = clock.instant().getEpochSecond();
		this.trusted = properties.anonymous().addresses().stream().map(Gateway::matcher).toList();
		this.anonymousKey = properties.anonymous().key();
	}

	private static IpAddressMatcher matcher(String address) {
		try {
			return new IpAddressMatcher(address.strip());
		}
		catch (IllegalArgumentException bad) {
			throw new IllegalArgumentException("switchboard.api.anonymous.addresses: '" + address
					+ "' is not an IP address or network (e.g. 127.0.0.1, ::1, 10.0.0.0/8)", bad);
		}
	}

	@Override
	public void doFilter(ServletRequest servletRequest, ServletResponse servletResponse, FilterChain chain)
			throws IOException {
		HttpServletRequest request = (HttpServletRequest) servletRequest;
		HttpServletResponse response = (HttpServletResponse) servletResponse;
		long arrived = System.nanoTime();
		String uri = request.getRequestURI();
		String path = uri.substring(request.getContextPath().length() + "/v1".length());
		String method = request.getMethod();
		try {
			ApiCaller caller = authenticate(request, arrived);
			switch (path) {
				case "/chat/completions" -> {
					requireMethod(method, "POST", path);
					chat.complete(caller, readJson(request), request.getHeader(SESSION_HEADER), response);
					// the client has the whole answer only once the call is settled, so
					// the
					// next request of a key with limits sees this one's tokens
					closeQuietly(response);
				}
				case "/models" -> {
					requireMethod(method, "GET", path);
					models(caller, response, null);
				}
				case "/images/generations" -> {
					requireMethod(method, "POST", path);
					images.generate(caller, readJson(request), response);
				}
				case "/audio/transcriptions" -> {
					requireMethod(method, "POST", path);
					transcriptions.transcribe(caller, request, response);
				}
				default -> {
					if (path.startsWith("/models/") && "GET".equals(method)) {
						models(caller, response, path.substring("/models/".length()));
					}
					else {
						throw new OpenAiError(404, "Invalid URL (" + method + " /v1" + path + ")",
								"invalid_request_error", null, "unknown_url", 0);
					}
				}
			}
		}
		catch (OpenAiError refused) {
			if (!response.isCommitted()) {
				response.reset();
				refused.writeTo(response);
			}
		}
		catch (IOException clientGone) {
			// the client went away while its answer was being written: nothing to tell it
			log.debug("API client left during {} {}: {}", method, path, clientGone.getMessage());
		}
		catch (PassThrough.UpstreamBrokeOff cut) {
			// the answer was under way: only a cut connection tells the client it is not
			// whole
			throw cut;
		}
		catch (RuntimeException unexpected) {
			log.error("API request {} {} failed", method, path, unexpected);
			if (!response.isCommitted()) {
				response.reset();
				new OpenAiError(500, "The server had an error while processing your request.", "server_error", null,
						null, 0)
					.writeTo(response);
			}
		}
	}

	/**
	 * The caller: the presented Bearer key, or, without one and from a trusted address,
	 * the key configured for such calls.
	 * @throws OpenAiError 401 for a missing, unknown or revoked key, 403 when its owner
	 * is suspended
	 */
	private ApiCaller authenticate(HttpServletRequest request, long arrived) {
		String header = request.getHeader("Authorization");
		ApiKeys.Lookup lookup;
		String secret = null;
		if (header == null || header.isBlank()) {
			if (!trusted(request.getRemoteAddr())) {
				throw OpenAiError.unauthorized(
						"You didn't provide an API key. You need to provide your API key in an "
								+ "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
						null);
			}
			lookup = keys.authenticateById(anonymousKey);
		}
		else {
			secret = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : header;
			lookup = keys.authenticate(secret);
		}
		return switch (lookup) {
			case ApiKeys.Lookup.Valid valid -> new ApiCaller(valid.key(), valid.owner(), arrived);
			case ApiKeys.Lookup.Revoked revoked -> throw OpenAiError
				.unauthorized("This API key (" + revoked.key().hint() + ") has been revoked.", "invalid_api_key");
			case ApiKeys.Lookup.OwnerSuspended suspended ->
				throw new OpenAiError(403, "The account that owns this API key is suspended. Ask the administrator.",
						"permission_error", null, "account_suspended", 0);
			case ApiKeys.Lookup.Unknown unknown -> throw secret == null
					? new OpenAiError(500,
							"Calls without an API key are set up to act as the key #" + anonymousKey
									+ ", which does not exist. Please tell the administrator.",
							"server_error", null, null, 0)
					: OpenAiError.unauthorized("Incorrect API key provided: " + masked(secret) + ".",
							"invalid_api_key");
		};
	}

	private boolean trusted(String address) {
		if (trusted.isEmpty() || address == null) {
			return false;
		}
		for (IpAddressMatcher matcher : trusted) {
			if (matcher.matches(address)) {
				return true;
			}
		}
		return false;
	}

	/** Like OpenAI, shows only the ends of a wrong key. */
	static String masked(String key) {
		return key.length() < 12 ? "***" : key.substring(0, 6) + "*".repeat(8) + key.substring(key.length() - 4);
	}

	private static void requireMethod(String method, String allowed, String path) {
		if (!allowed.equals(method)) {
			throw new OpenAiError(405, "Invalid method for URL (" + method + " /v1" + path + ")",
					"invalid_request_error", null, "method_not_allowed", 0);
		}
	}

	private void models(ApiCaller caller, HttpServletResponse response, String single) throws IOException {
		ObjectNode list = mapper.createObjectNode().put("object", "list");
		ArrayNode data = list.putArray("data");
		ObjectNode found = null;
		for (ModelSpec model : catalog.all()) {
			if (caller.key().allows(model.name())) {
				ObjectNode entry = data.addObject()
					.put("id", model.name())
					.put("object", "model")
					.put("created", startedAt)
					.put("owned_by", "switchboard");
				if (model.name().equals(single)) {
					found = entry;
				}
			}
		}
		if (single != null && found == null) {
			throw OpenAiError.modelNotFound(single);
		}
		byte[] body = mapper.writeValueAsBytes(single == null ? list : found);
		response.setContentType("application/json");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/**
	 * Reads a JSON body, refusing another content type (415) and a body too large (413).
	 * The rest of a body too large is read and dropped by Tomcat (up to
	 * {@code server.tomcat.max-swallow-size}), so that a client that sends its whole body
	 * before reading gets the 413 rather than a broken pipe.
	 */
	private byte[] readJson(HttpServletRequest request) throws IOException {
		String type = request.getContentType();
		if (type == null || !type.regionMatches(true, 0, "application/json", 0, 16)) {
			throw new OpenAiError(415,
					"Unsupported content type " + (type == null ? "(none)" : "'" + type + "'")
							+ ". The API expects 'Content-Type: application/json'.",
					"invalid_request_error", null, "unsupported_media_type", 0);
		}
		long declared = request.getContentLengthLong();
		if (declared > maxBody) {
			throw tooLarge();
		}
		InputStream in = request.getInputStream();
		if (declared >= 0) {
			byte[] body = in.readNBytes((int) declared);
			if (body.length != declared) {
				throw ChatCompletionRequest.malformed();
			}
			return body;
		}
		byte[] body = in.readNBytes((int) maxBody + 1);
		if (body.length > maxBody) {
			throw tooLarge();
		}
		return body;
	}

	private OpenAiError tooLarge() {
		return new OpenAiError(413, "The request body is larger than the limit of " + maxBody + " bytes.",
				"invalid_request_error", null, "request_too_large", 0);
	}

	/** Ends the response now, so the client has all of it before the filter returns. */
	private static void closeQuietly(HttpServletResponse response) {
		try {
			response.getOutputStream().close();
		}
		catch (IOException | IllegalStateException gone) {
			// the client left, or nothing is open
		}
	}

	static void writeQuietly(OutputStream out, byte[] bytes) {
		try {
			out.write(bytes);
			out.flush();
		}
		catch (IOException gone) {
			// the client left; nothing more to tell it
		}
	}

	/** Nanoseconds as milliseconds with three decimals, without formatting machinery. */
	static String millis(long nanos) {
		long micros = Math.max(0, nanos / 1_000);
		long fraction = micros % 1000;
		return (micros / 1000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
	}

}
