package io.switchboard.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.NoHttpResponseException;

import io.switchboard.llm.TokenCounter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One attempt against an upstream that speaks OpenAI's protocol: the client's bytes go up
 * with only the model renamed, and the answer comes back as bytes. A streamed answer is
 * relayed event by event as it arrives; a whole answer is read in full before the client
 * gets any of it, so one that breaks off becomes a clean 502 rather than half a body
 * under a promised length.
 */
@Component
class PassThrough {

	private static final Logger log = LoggerFactory.getLogger(PassThrough.class);

	/**
	 * How much of a whole answer is held before it goes to the client; a longer one is
	 * passed on as it comes, and cut off (no clean end) if the upstream breaks off.
	 */
	private static final int MAX_HELD_ANSWER = 4 << 20;

	private final Upstream upstream;

	private final ObjectMapper mapper;

	private final JsonFactory json;

	private final TokenCounter tokens;

	private final OpenStreams streams;

	PassThrough(Upstream upstream, ObjectMapper mapper, TokenCounter tokens, OpenStreams streams) {
		this.streams = streams;
		this.upstream = upstream;
		this.mapper = mapper;
		this.json = mapper.getFactory();
		this.tokens = tokens;
	}

	Attempt call(Router.Target target, ChatCompletionRequest chat, ApiCaller caller, HttpServletResponse response,
			boolean collectText) throws IOException {
		byte[] upstreamBody = chat.upstreamBody(target.upstreamModel());
		long upstreamStart = System.nanoTime();
		ClassicHttpResponse sent;
		try {
			sent = upstream.send(target.settings(), target.baseUrl(), "/chat/completions", upstreamBody, chat.stream());
		}
		catch (SocketTimeoutException timeout) {
			return new Attempt.Failed(Attempt.Kind.TIMEOUT, 0, "no answer within "
					+ (target.settings() == null ? "the timeout" : target.settings().readTimeout().toSeconds() + " s"));
		}
		catch (NoHttpResponseException closed) {
			// a kept-alive connection the upstream had just closed: not the deployment's
			// failure, and nothing was answered; once more on a fresh connection
			try {
				sent = upstream.send(target.settings(), target.baseUrl(), "/chat/completions", upstreamBody,
						chat.stream());
			}
			catch (IOException unreachable) {
				return new Attempt.Failed(Attempt.Kind.UNREACHABLE, 0, describe(unreachable));
			}
		}
		catch (IOException unreachable) {
			return new Attempt.Failed(Attempt.Kind.UNREACHABLE, 0, describe(unreachable));
		}
		try {
			long headersAt = System.nanoTime();
			int status = sent.getCode();
			if (status < 200 || status >= 300) {
				return upstreamError(target, sent, status, response, chat.stream());
			}
			long before = upstreamStart - caller.arrivedAt();
			return chat.stream() ? relay(sent.getEntity(), chat, response, collectText, before, headersAt)
					: whole(sent, chat, response, before, headersAt);
		}
		finally {
			closeQuietly(sent);
		}
	}

	/**
	 * Lets the upstream connection go. Closing a broken answer fails again (what is left
	 * of it cannot be read); that is already told, and the connection is dropped.
	 */
	private static void closeQuietly(ClassicHttpResponse answer) {
		try {
			answer.close();
		}
		catch (IOException alreadyBroken) {
			log.debug("closing a broken upstream answer: {}", alreadyBroken.getMessage());
		}
	}

	private Attempt relay(HttpEntity entity, ChatCompletionRequest chat, HttpServletResponse response,
			boolean collectText, long before, long headersAt) throws IOException {
		// each read is flushed at once: a large response buffer would only hold memory
		response.setBufferSize(2048);
		response.setStatus(200);
		response.setContentType("text/event-stream; charset=utf-8");
		response.setHeader("Cache-Control", "no-cache");
		response.setHeader("X-Accel-Buffering", "no");
		long overhead = before + (System.nanoTime() - headersAt);
		response.setHeader(Gateway.OVERHEAD_HEADER, Gateway.millis(overhead));
		ServletOutputStream out = response.getOutputStream();
		response.flushBuffer();
		SseRelay relay = new SseRelay(mapper, chat.clientWantsUsage(), collectText);
		String broke = null;
		try (OpenStreams.Open registered = streams.register(() -> relay.interrupt(OpenStreams.RESTARTING.event()));
				InputStream in = entity.getContent()) {
			relay.relay(in, out);
			if (!relay.done() && !relay.clientGone()) {
				// a clean end without [DONE]: an OpenAI client would take the truncated
				// text
				// for the whole answer
				broke = "The upstream's stream ended before the answer was complete.";
			}
		}
		catch (IOException upstreamBroke) {
			broke = relay.interrupted() ? null : "The upstream stream broke off: " + upstreamBroke.getMessage();
		}
		if (relay.interrupted()) {
			return new Attempt.Answered(503, Math.max(0, relay.promptTokens()), Math.max(0, relay.completionTokens()),
					relay.text(), overhead, true, false, relay.cachedTokens());
		}
		if (broke != null) {
			Gateway.writeQuietly(out,
					new OpenAiError(502, broke, "server_error", null, "upstream_stream_broken", 0).event());
		}
		int in = relay.promptTokens();
		int outTokens = relay.completionTokens();
		if (in < 0) {
			in = tokens.count(Translation.allText(chat.tree(mapper)));
			outTokens = Math.max(0, relay.events() - 3);
		}
		int clientStatus = broke != null ? 502 : relay.clientGone() ? 499 : 200;
		return new Attempt.Answered(clientStatus, in, outTokens, relay.text(), overhead, true, broke != null,
				Math.min(relay.cachedTokens(), in));
	}

	private Attempt whole(ClassicHttpResponse answer, ChatCompletionRequest chat, HttpServletResponse response,
			long before, long headersAt) throws IOException {
		HttpEntity entity = answer.getEntity();
		String type = Upstream.header(answer, "Content-Type");
		long length = entity == null ? 0 : entity.getContentLength();
		byte[] whole = new byte[length >= 0 && length <= MAX_HELD_ANSWER ? (int) length : 8192];
		int filled = 0;
		try (InputStream in = entity == null ? InputStream.nullInputStream() : entity.getContent()) {
			while (!(length >= 0 && filled == whole.length && length <= MAX_HELD_ANSWER)) {
				if (filled == whole.length) {
					if (whole.length >= MAX_HELD_ANSWER) {
						return oversized(in, whole, filled, type, chat, response, before, headersAt);
					}
					whole = Arrays.copyOf(whole, Math.min(MAX_HELD_ANSWER, whole.length * 2));
				}
				int read = in.read(whole, filled, whole.length - filled);
				if (read < 0) {
					break;
				}
				filled += read;
			}
		}
		catch (IOException broke) {
			return broken(response, before + (System.nanoTime() - headersAt),
					"The upstream's answer broke off after " + filled + " bytes: " + broke.getMessage());
		}
		CompletionSummary summary;
		try {
			summary = CompletionSummary.read(json, whole, filled);
		}
		catch (IOException unreadable) {
			// ended cleanly but is not a whole JSON answer: cut short by something
			// between
			return broken(response, before + (System.nanoTime() - headersAt),
					"The upstream's answer was cut short or is not JSON (" + filled + " bytes).");
		}
		long overhead = before + (System.nanoTime() - headersAt);
		response.setStatus(200);
		response.setContentType(type == null ? "application/json" : type);
		// our own length, of the bytes we hold: the upstream's is not ours to promise
		response.setContentLength(filled);
		response.setHeader(Gateway.OVERHEAD_HEADER, Gateway.millis(overhead));
		response.getOutputStream().write(whole, 0, filled);
		return counted(chat, summary, overhead, 200, false);
	}

	/**
	 * An answer longer than is held: what is held goes out, the rest as it comes. If the
	 * upstream breaks off now, the client's connection is cut rather than ended cleanly.
	 */
	private Attempt oversized(InputStream in, byte[] held, int filled, String type, ChatCompletionRequest chat,
			HttpServletResponse response, long before, long headersAt) throws IOException {
		long overhead = before + (System.nanoTime() - headersAt);
		response.setStatus(200);
		response.setContentType(type == null ? "application/json" : type);
		response.setHeader(Gateway.OVERHEAD_HEADER, Gateway.millis(overhead));
		ServletOutputStream out = response.getOutputStream();
		out.write(held, 0, filled);
		try {
			in.transferTo(out);
		}
		catch (IOException broke) {
			log.warn("an upstream answer broke off after more than {} bytes: {}", filled, broke.getMessage());
			throw new UpstreamBrokeOff(broke);
		}
		CompletionSummary summary;
		try {
			summary = CompletionSummary.read(json, held, filled);
		}
		catch (IOException cutForCounting) {
			summary = null;
		}
		return counted(chat, summary, overhead, 200, false);
	}

	private Attempt counted(ChatCompletionRequest chat, CompletionSummary summary, long overhead, int status,
			boolean fault) {
		if (summary == null) {
			return new Attempt.Answered(status, tokens.count(Translation.allText(chat.tree(mapper))), 0, "", overhead,
					false, fault);
		}
		int in = summary.promptTokens() >= 0 ? summary.promptTokens()
				: tokens.count(Translation.allText(chat.tree(mapper)));
		int out = summary.completionTokens() >= 0 ? summary.completionTokens() : tokens.count(summary.text());
		return new Attempt.Answered(status, in, out, summary.text(), overhead, false, fault,
				Math.min(summary.cachedTokens(), in));
	}

	private static Attempt broken(HttpServletResponse response, long overhead, String message) throws IOException {
		new OpenAiError(502, message, "server_error", null, "upstream_answer_broken", 0).writeTo(response);
		return new Attempt.Answered(502, 0, 0, "", overhead, false, true);
	}

	/**
	 * An upstream's error answer: 429 and 5xx are worth another attempt; others go to the
	 * client in OpenAI's format (a refused upstream key is the operator's problem, so it
	 * becomes 502).
	 */
	private Attempt upstreamError(Router.Target target, ClassicHttpResponse answer, int status,
			HttpServletResponse response, boolean stream) throws IOException {
		byte[] body;
		try (InputStream in = answer.getEntity() == null ? InputStream.nullInputStream()
				: answer.getEntity().getContent()) {
			body = in.readNBytes(64 * 1024);
		}
		catch (IOException broke) {
			body = new byte[0];
		}
		String message = redact(target, errorMessage(body, status));
		if (status == 429 || status >= 500) {
			return new Attempt.Failed(status == 429 ? Attempt.Kind.RATE_LIMITED : Attempt.Kind.SERVER_ERROR,
					retryAfter(Upstream.header(answer, "Retry-After")), "HTTP " + status + ": " + message);
		}
		OpenAiError error;
		if (status == 401 || status == 403) {
			log.warn("upstream {} refused the configured key (HTTP {}): {}", target.label(), status, message);
			error = new OpenAiError(502, "The upstream refused Switchboard's credentials for this model. "
					+ "Please tell the administrator.", "server_error", null, "upstream_auth_failed", 0);
		}
		else {
			JsonNode parsed = parse(body);
			JsonNode inner = parsed == null ? null : parsed.path("error");
			error = new OpenAiError(status >= 400 ? status : 502, message,
					inner != null && inner.hasNonNull("type") ? inner.get("type").asText() : "invalid_request_error",
					inner != null && inner.hasNonNull("param") ? inner.get("param").asText() : null,
					inner != null && inner.hasNonNull("code") ? inner.get("code").asText() : null, 0);
		}
		error.writeTo(response);
		return Attempt.Answered.refused(error.status(), stream, 0);
	}

	private JsonNode parse(byte[] body) {
		try {
			return mapper.readTree(body);
		}
		catch (IOException notJson) {
			return null;
		}
	}

	private String errorMessage(byte[] body, int status) {
		JsonNode parsed = parse(body);
		if (parsed != null) {
			JsonNode error = parsed.path("error");
			if (error.isTextual()) {
				return error.asText();
			}
			if (error.hasNonNull("message")) {
				return error.get("message").asText();
			}
		}
		return "The upstream answered HTTP " + status + ".";
	}

	private static String redact(Router.Target target, String message) {
		String key = target.settings() == null ? null : target.settings().apiKey();
		return key == null || key.isBlank() ? message : message.replace(key, "[redacted]");
	}

	private static String describe(IOException failure) {
		return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
	}

	/** Seconds a {@code Retry-After} header asks for (delta seconds), 0 when none. */
	static long retryAfter(String header) {
		if (header == null || header.isBlank()) {
			return 0;
		}
		try {
			return Math.max(0, (long) Math.ceil(Double.parseDouble(header.strip())));
		}
		catch (NumberFormatException httpDate) {
			return 0;
		}
	}

	/**
	 * An answer that broke off after the client had part of it with no way to say so: the
	 * connection is cut so that the client sees an error, not a clean end.
	 */
	static final class UpstreamBrokeOff extends RuntimeException {

		UpstreamBrokeOff(IOException cause) {
			super("the upstream's answer broke off", cause);
		}

	}

}
