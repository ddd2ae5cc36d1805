package io.switchboard.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.NoHttpResponseException;

import io.switchboard.conversation.AnswerRecord;
import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.SessionId;
import io.switchboard.llm.ChatModels;
import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.LlmException;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;
import io.switchboard.llm.TokenCounter;
import io.switchboard.llm.TokenUsage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The OpenAI-compatible endpoints under {@code /v1}. One plain servlet on virtual
 * threads: a chat completion is checked (JSON shape, model, the key's models and limits),
 * routed to an upstream deployment, passed through as bytes to OpenAI-compatible
 * upstreams or translated for the others, streamed back as it arrives, and recorded off
 * the request path. Every failure is answered in OpenAI's error format.
 */
@Component
class GatewayServlet extends HttpServlet {

	private static final Logger log = LoggerFactory.getLogger(GatewayServlet.class);

	/** The gateway's own time in the answer, in milliseconds. */
	static final String OVERHEAD_HEADER = "X-Switchboard-Overhead-Ms";

	/**
	 * Names a Switchboard session (e.g. {@code 12} or {@code #12}) to store the exchange
	 * in.
	 */
	static final String SESSION_HEADER = "X-Switchboard-Session";

	/** How much of a non-streamed answer is kept for reading its usage. */
	private static final int MAX_KEPT_ANSWER = 4 << 20;

	private final transient ModelCatalog catalog;

	private final transient Router router;

	private final transient Upstream upstream;

	private final transient KeyLimits limits;

	private final transient CallRecorder recorder;

	private final transient Conversations conversations;

	private final transient ChatModels chatModels;

	private final transient TokenCounter tokens;

	private final transient ObjectMapper mapper;

	private final transient JsonFactory json;

	private final transient ImageGenerations images;

	private final transient SessionExchanges sessions;

	private final transient Clock clock;

	private final long maxBody;

	private final long startedAt;

	GatewayServlet(ModelCatalog catalog, Router router, Upstream upstream, KeyLimits limits, CallRecorder recorder,
			Conversations conversations, ChatModels chatModels, TokenCounter tokens, ObjectMapper mapper,
			ImageGenerations images, SessionExchanges sessions, ApiProperties properties, Clock clock) {
		this.catalog = catalog;
		this.router = router;
		this.upstream = upstream;
		this.limits = limits;
		this.recorder = recorder;
		this.conversations = conversations;
		this.chatModels = chatModels;
		this.tokens = tokens;
		this.mapper = mapper;
		this.json = mapper.getFactory();
		this.images = images;
		this.sessions = sessions;
		this.clock = clock;
		this.maxBody = properties.maxRequestSize().toBytes();
		this.startedAt = clock.instant().getEpochSecond();
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String path = request.getPathInfo() == null ? "" : request.getPathInfo();
		String method = request.getMethod();
		try {
			ApiCaller caller = caller();
			switch (path) {
				case "/chat/completions" -> {
					requireMethod(method, "POST", path);
					chat(caller, request, response);
				}
				case "/models" -> {
					requireMethod(method, "GET", path);
					models(caller, response, null);
				}
				case "/images/generations" -> {
					requireMethod(method, "POST", path);
					images.generate(caller, readJson(request), response);
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

	private static ApiCaller caller() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof ApiCaller caller) {
			return caller;
		}
		throw OpenAiError.unauthorized("You didn't provide an API key.", null);
	}

	private static void requireMethod(String method, String allowed, String path) {
		if (!allowed.equals(method)) {
			throw new OpenAiError(405, "Invalid method for URL (" + method + " /v1" + path + ")",
					"invalid_request_error", null, "method_not_allowed", 0);
		}
	}

	// ------------------------------------------------------------------ models

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

	// -------------------------------------------------------- chat completions

	private void chat(ApiCaller caller, HttpServletRequest request, HttpServletResponse response) throws IOException {
		byte[] body = readJson(request);
		ChatCompletionRequest chat = ChatCompletionRequest.parse(body, json);
		ModelSpec model = catalog.find(chat.model()).orElseThrow(() -> OpenAiError.modelNotFound(chat.model()));
		if (!caller.key().allows(model.name())) {
			throw new OpenAiError(403,
					"This API key may not use the model `" + model.name() + "`. It may use: "
							+ String.join(", ", caller.key().allowedModels().stream().sorted().toList()) + ".",
					"permission_error", "model", "model_not_allowed", 0);
		}
		Session session = session(caller, request.getHeader(SESSION_HEADER));
		limits.acquire(caller.key());
		List<Router.Target> plan = router.plan(model);
		Retry last = null;
		Router.Target lastTarget = plan.isEmpty() ? router.targets(model.name()).getFirst() : null;
		for (Router.Target target : plan) {
			try {
				Outcome outcome = target.passThrough() ? passThrough(target, chat, caller, response, session != null)
						: translated(target, chat, caller, response, session != null);
				finish(caller, target, chat, outcome, session);
				closeQuietly(response);
				return;
			}
			catch (Retry retry) {
				log.info("upstream {} of {} failed ({}); {}", target.label(), model.name(), retry.getMessage(),
						"trying the next one if any");
				router.coolDown(target, retry.retryAfterSeconds);
				last = retry;
				lastTarget = target;
			}
		}
		long wait = router.secondsUntilAvailable(model);
		OpenAiError unavailable = last != null && last.rateLimited
				? new OpenAiError(429,
						"The model `" + model.name() + "` is rate limited upstream. Please try again in " + wait
								+ " s.",
						"requests", null, "rate_limit_exceeded", wait)
				: new OpenAiError(503,
						"The model `" + model.name() + "` is unavailable upstream"
								+ (last == null ? " (every deployment is cooling down)" : "") + ". Please try again in "
								+ wait + " s.",
						"server_error", null, "upstream_unavailable", wait);
		record(caller, lastTarget, model, chat.stream(), unavailable.status(), 0, 0, 0, 0);
		throw unavailable;
	}

	/**
	 * Reads a JSON body, refusing another content type (415) and a body too large (413).
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

	/** The session named by the header, if any, checked with the usual rules. */
	private Session session(ApiCaller caller, String header) {
		if (header == null || header.isBlank()) {
			return null;
		}
		SessionId id = SessionId.parse(header)
			.orElseThrow(() -> OpenAiError.invalid("The " + SESSION_HEADER + " header must be a session number.", null,
					"invalid_session"));
		try {
			return conversations.session(caller.owner().id(), id);
		}
		catch (ConversationException.NotFound notFound) {
			throw new OpenAiError(404, notFound.getMessage(), "invalid_request_error", null, "session_not_found", 0);
		}
	}

	// ------------------------------------------------------------ pass-through

	private Outcome passThrough(Router.Target target, ChatCompletionRequest chat, ApiCaller caller,
			HttpServletResponse response, boolean collectText) throws IOException {
		byte[] upstreamBody = chat.upstreamBody(target.upstreamModel());
		long upstreamStart = System.nanoTime();
		ClassicHttpResponse sent;
		try {
			sent = upstream.send(target.settings(), target.baseUrl(), "/chat/completions", upstreamBody, chat.stream());
		}
		catch (SocketTimeoutException timeout) {
			throw new Retry(false, 0, "no answer in time");
		}
		catch (NoHttpResponseException closed) {
			// a kept-alive connection the upstream had just closed: not the deployment's
			// failure, and nothing was answered; once more on a fresh connection
			try {
				sent = upstream.send(target.settings(), target.baseUrl(), "/chat/completions", upstreamBody,
						chat.stream());
			}
			catch (IOException unreachable) {
				throw new Retry(false, 0, "unreachable: " + unreachable.getMessage());
			}
		}
		catch (IOException unreachable) {
			throw new Retry(false, 0, "unreachable: " + unreachable.getMessage());
		}
		try (ClassicHttpResponse answer = sent) {
			long headersAt = System.nanoTime();
			int status = answer.getCode();
			if (status < 200 || status >= 300) {
				return upstreamError(target, answer, status, response, chat.stream());
			}
			HttpEntity entity = answer.getEntity();
			long before = upstreamStart - caller.arrivedAt();
			if (chat.stream()) {
				// each read is flushed at once: a large response buffer would only hold
				// memory
				response.setBufferSize(2048);
				response.setStatus(200);
				response.setContentType("text/event-stream; charset=utf-8");
				response.setHeader("Cache-Control", "no-cache");
				response.setHeader("X-Accel-Buffering", "no");
				long overhead = before + (System.nanoTime() - headersAt);
				response.setHeader(OVERHEAD_HEADER, millis(overhead));
				ServletOutputStream out = response.getOutputStream();
				response.flushBuffer();
				SseRelay relay = new SseRelay(mapper, chat.clientWantsUsage(), collectText);
				boolean broken = false;
				try (InputStream in = entity.getContent()) {
					relay.relay(in, out);
				}
				catch (IOException upstreamBroke) {
					broken = true;
					writeQuietly(out,
							new OpenAiError(502, "The upstream stream broke off: " + upstreamBroke.getMessage(),
									"server_error", null, "upstream_stream_broken", 0)
								.event());
				}
				int in = relay.promptTokens();
				int outTokens = relay.completionTokens();
				if (in < 0) {
					in = tokens.count(Translation.allText(chat.tree(mapper)));
					outTokens = Math.max(0, relay.events() - 3);
				}
				int clientStatus = broken ? 502 : relay.clientGone() ? 499 : 200;
				return new Outcome(clientStatus, in, outTokens, relay.text(), overhead, true);
			}
			response.setStatus(200);
			String type = Upstream.header(answer, "Content-Type");
			response.setContentType(type == null ? "application/json" : type);
			long length = entity.getContentLength();
			if (length >= 0) {
				response.setContentLengthLong(length);
			}
			long overhead = before + (System.nanoTime() - headersAt);
			response.setHeader(OVERHEAD_HEADER, millis(overhead));
			ServletOutputStream out = response.getOutputStream();
			// bytes go to the client as they arrive and are kept in one array for the
			// usage at the end (sized by Content-Length when there is one: no copy
			// buffer, no collecting stream); an answer beyond MAX_KEPT_ANSWER is still
			// passed on whole but counted from its first MAX_KEPT_ANSWER bytes
			boolean sized = length >= 0 && length <= MAX_KEPT_ANSWER;
			byte[] whole = new byte[sized ? (int) length : 8192];
			int filled = 0;
			try (InputStream in = entity.getContent()) {
				while (!(sized && filled == whole.length)) {
					if (filled == whole.length) {
						if (whole.length >= MAX_KEPT_ANSWER) {
							in.transferTo(out);
							break;
						}
						whole = Arrays.copyOf(whole, Math.min(MAX_KEPT_ANSWER, whole.length * 2));
					}
					int read = in.read(whole, filled, whole.length - filled);
					if (read < 0) {
						break;
					}
					out.write(whole, filled, read);
					filled += read;
				}
			}
			// the output is closed (and the client has it all) once the call is counted,
			// so the next request of a key with limits sees this one's tokens
			return wholeOutcome(chat, whole, filled, overhead);
		}
	}

	/**
	 * Tokens and text of a whole answer: its {@code usage} when it has one, else counted.
	 */
	private Outcome wholeOutcome(ChatCompletionRequest chat, byte[] body, int length, long overhead) {
		CompletionSummary summary;
		try {
			summary = CompletionSummary.read(json, body, length);
		}
		catch (IOException unreadable) {
			return new Outcome(200, 0, 0, "", overhead, false);
		}
		int in = summary.promptTokens() >= 0 ? summary.promptTokens()
				: tokens.count(Translation.allText(chat.tree(mapper)));
		int out = summary.completionTokens() >= 0 ? summary.completionTokens() : tokens.count(summary.text());
		return new Outcome(200, in, out, summary.text(), overhead, false);
	}

	/**
	 * An upstream's error answer: 429 and 5xx move on to the next deployment; others go
	 * to the client in OpenAI's format (a refused upstream key is the operator's problem,
	 * so it becomes 502).
	 */
	private Outcome upstreamError(Router.Target target, ClassicHttpResponse answer, int status,
			HttpServletResponse response, boolean stream) throws IOException {
		byte[] body;
		try (InputStream in = answer.getEntity() == null ? InputStream.nullInputStream()
				: answer.getEntity().getContent()) {
			body = in.readNBytes(64 * 1024);
		}
		if (status == 429 || status >= 500) {
			throw new Retry(status == 429, retryAfter(Upstream.header(answer, "Retry-After")), "HTTP " + status);
		}
		String message = redact(target, errorMessage(body, status));
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
		return new Outcome(error.status(), 0, 0, "", 0, stream);
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

	// -------------------------------------------------------------- translated

	private Outcome translated(Router.Target target, ChatCompletionRequest chat, ApiCaller caller,
			HttpServletResponse response, boolean collectText) throws IOException {
		ChatRequest request = Translation.toChatRequest(chat.tree(mapper), target.model());
		long upstreamStart = System.nanoTime();
		long before = upstreamStart - caller.arrivedAt();
		String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
		long created = clock.instant().getEpochSecond();
		String name = target.model().name();
		if (!chat.stream()) {
			ChatResponse answer;
			try {
				answer = chatModels.chat(request);
			}
			catch (LlmException.Retriable failure) {
				throw retry(failure);
			}
			catch (LlmException.NonRetriable failure) {
				OpenAiError error = translate(failure);
				error.writeTo(response);
				return new Outcome(error.status(), 0, 0, "", before, false);
			}
			long overhead = before;
			byte[] body = Translation.completion(mapper, id, created, name, answer);
			response.setStatus(200);
			response.setContentType("application/json");
			response.setContentLength(body.length);
			response.setHeader(OVERHEAD_HEADER, millis(overhead));
			response.getOutputStream().write(body);
			return new Outcome(200, answer.usage().inputTokens(), answer.usage().outputTokens(), answer.text(),
					overhead, false);
		}
		TranslatedStream stream = new TranslatedStream(response, id, created, name, before);
		ChatResponse answer;
		try {
			answer = chatModels.stream(request, stream::piece);
		}
		catch (LlmException.Retriable failure) {
			if (!stream.started) {
				throw retry(failure);
			}
			stream.fail(new OpenAiError(502, failure.userMessage(), "server_error", null, "upstream_stream_broken", 0));
			return new Outcome(502, 0, 0, "", stream.overhead, true);
		}
		catch (LlmException.NonRetriable failure) {
			OpenAiError error = translate(failure);
			if (!stream.started) {
				error.writeTo(response);
				return new Outcome(error.status(), 0, 0, "", before, true);
			}
			stream.fail(error);
			return new Outcome(error.status(), 0, 0, "", stream.overhead, true);
		}
		catch (ClientGone gone) {
			return new Outcome(499, 0, 0, "", stream.overhead, true);
		}
		stream.finish(answer, chat.clientWantsUsage());
		return new Outcome(200, answer.usage().inputTokens(), answer.usage().outputTokens(), answer.text(),
				stream.overhead, true);
	}

	private static Retry retry(LlmException.Retriable failure) {
		long after = failure instanceof LlmException.RateLimited limited ? limited.retryAfterSeconds() : 0;
		return new Retry(failure instanceof LlmException.RateLimited, after, failure.getMessage());
	}

	private static OpenAiError translate(LlmException.NonRetriable failure) {
		return switch (failure) {
			case LlmException.AuthenticationFailed refused -> new OpenAiError(502,
					"The upstream refused Switchboard's credentials for this model. Please tell the administrator.",
					"server_error", null, "upstream_auth_failed", 0);
			case LlmException.ContextLengthExceeded tooLong ->
				OpenAiError.invalid(tooLong.getMessage(), "messages", "context_length_exceeded");
			case LlmException.ContentFiltered filtered ->
				OpenAiError.invalid(filtered.userMessage(), null, "content_filter");
			case LlmException.InvalidRequest invalid -> OpenAiError.invalid(invalid.getMessage(), null, null);
		};
	}

	/**
	 * Writes a translated answer as OpenAI chunks; the response is committed with the
	 * first piece, so a failure before it can still go to the next deployment.
	 */
	private final class TranslatedStream {

		private final HttpServletResponse response;

		private final String id;

		private final long created;

		private final String model;

		private final long before;

		private final long startedAt = System.nanoTime();

		private boolean started;

		private long overhead;

		private OutputStream out;

		TranslatedStream(HttpServletResponse response, String id, long created, String model, long before) {
			this.response = response;
			this.id = id;
			this.created = created;
			this.model = model;
			this.before = before;
		}

		void piece(String text) {
			try {
				if (!started) {
					start();
				}
				out.write(Translation.chunk(mapper, id, created, model, null, text, null, null));
				out.flush();
			}
			catch (IOException gone) {
				throw new ClientGone();
			}
		}

		private void start() throws IOException {
			started = true;
			overhead = before;
			response.setStatus(200);
			response.setContentType("text/event-stream; charset=utf-8");
			response.setHeader("Cache-Control", "no-cache");
			response.setHeader("X-Accel-Buffering", "no");
			response.setHeader(OVERHEAD_HEADER, millis(overhead));
			out = response.getOutputStream();
			out.write(Translation.chunk(mapper, id, created, model, "assistant", "", null, null));
		}

		void finish(ChatResponse answer, boolean withUsage) throws IOException {
			if (!started) {
				start();
			}
			if (answer.wantsTools()) {
				out.write(Translation.toolCallsChunk(mapper, id, created, model, answer.toolCalls()));
			}
			out.write(Translation.chunk(mapper, id, created, model, null, null,
					Translation.finishReason(answer.finishReason()), null));
			if (withUsage) {
				out.write(Translation.chunk(mapper, id, created, model, null, null, null, answer.usage()));
			}
			out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
		}

		void fail(OpenAiError error) {
			writeQuietly(out, error.event());
		}

	}

	/** Ends the response now, so the client has all of it before the servlet returns. */
	private static void closeQuietly(HttpServletResponse response) {
		try {
			response.getOutputStream().close();
		}
		catch (IOException | IllegalStateException gone) {
			// the client left, or nothing is open
		}
	}

	private static void writeQuietly(OutputStream out, byte[] bytes) {
		try {
			out.write(bytes);
			out.flush();
		}
		catch (IOException gone) {
			// the client left; nothing more to tell it
		}
	}

	// ------------------------------------------------------------- bookkeeping

	private void finish(ApiCaller caller, Router.Target target, ChatCompletionRequest chat, Outcome outcome,
			Session session) {
		ModelSpec model = target.model();
		long cost = outcome.status() == 200
				? model.price().costNanos(new TokenUsage(outcome.tokensIn(), outcome.tokensOut())) : 0;
		long latencyNanos = System.nanoTime() - caller.arrivedAt();
		record(caller, target, model, outcome.streamed(), outcome.status(), outcome.tokensIn(), outcome.tokensOut(),
				cost, outcome.overheadNanos());
		if (outcome.status() == 200) {
			limits.spent(caller.key(), outcome.tokensIn() + outcome.tokensOut(), cost);
			if (session != null) {
				storeInSession(caller, target, chat, outcome, session, cost, latencyNanos / 1_000_000);
			}
		}
	}

	private void record(ApiCaller caller, Router.Target target, ModelSpec model, boolean streamed, int status,
			int tokensIn, int tokensOut, long cost, long overheadNanos) {
		long latencyNanos = System.nanoTime() - caller.arrivedAt();
		recorder.record(new ApiCall(caller.key().id(), caller.owner().id().value(), model.name(),
				target == null ? "-" : target.label(), tokensIn, tokensOut, cost,
				(int) Math.min(Integer.MAX_VALUE, latencyNanos / 1_000_000),
				(int) Math.min(Integer.MAX_VALUE, overheadNanos / 1_000), status, streamed, clock.millis()));
	}

	private void storeInSession(ApiCaller caller, Router.Target target, ChatCompletionRequest chat, Outcome outcome,
			Session session, long cost, long latencyMillis) {
		sessions.storeLater(caller.owner(), session, chat.tree(mapper), outcome.text(),
				new AnswerRecord(target.model().name(), target.provider(), outcome.tokensIn(), outcome.tokensOut(),
						cost, latencyMillis, 0, "stop"));
	}

	/** Nanoseconds as milliseconds with three decimals, without formatting machinery. */
	static String millis(long nanos) {
		long micros = Math.max(0, nanos / 1_000);
		long fraction = micros % 1000;
		return (micros / 1000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
	}

	/**
	 * What one upstream attempt came to.
	 *
	 * @param status the HTTP status the client got (499 when it went away)
	 * @param overheadNanos the gateway's own time up to the response headers
	 */
	private record Outcome(int status, int tokensIn, int tokensOut, String text, long overheadNanos, boolean streamed) {
	}

	/** A retriable upstream failure before anything went to the client. */
	private static final class Retry extends RuntimeException {

		private final boolean rateLimited;

		private final long retryAfterSeconds;

		Retry(boolean rateLimited, long retryAfterSeconds, String message) {
			super(message, null, false, false);
			this.rateLimited = rateLimited;
			this.retryAfterSeconds = retryAfterSeconds;
		}

	}

	/** The client went away while a translated answer was streaming. */
	private static final class ClientGone extends RuntimeException {

		ClientGone() {
			super("client gone", null, false, false);
		}

	}

}
