package io.switchboard.api;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletResponse;

import io.switchboard.conversation.AnswerRecord;
import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.SessionId;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;
import io.switchboard.llm.TokenCounter;
import io.switchboard.llm.TokenUsage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code POST /v1/chat/completions}: the request is checked (model, the key's models and
 * limits, its session), the most it can cost is reserved of the key's budget, and then
 * the attempt loop runs: each attempt goes to the next deployment of the router's plan
 * whose circuit breaker lets it through, either {@link PassThrough passed through} or
 * {@link TranslatedPath translated}. A retriable failure before anything reached the
 * client moves on (another deployment first, the same one again after a pause), up to
 * {@code switchboard.api.max-attempts}; the client hears what really happened. Every call
 * is recorded off the request path and settled against the key's budget.
 */
@Component
class ChatCompletions {

	private static final Logger log = LoggerFactory.getLogger(ChatCompletions.class);

	private final ModelCatalog catalog;

	private final Router router;

	private final PassThrough passThrough;

	private final TranslatedPath translated;

	private final KeyLimits limits;

	private final CallRecorder recorder;

	private final Conversations conversations;

	private final SessionExchanges sessions;

	private final TokenCounter tokens;

	private final ObjectMapper mapper;

	private final ServerTools serverTools;

	private final Clock clock;

	private final int maxAttempts;

	private final long retryBackoffMillis;

	ChatCompletions(ModelCatalog catalog, Router router, PassThrough passThrough, TranslatedPath translated,
			KeyLimits limits, CallRecorder recorder, Conversations conversations, SessionExchanges sessions,
			TokenCounter tokens, ObjectMapper mapper, ServerTools serverTools, ApiProperties properties, Clock clock) {
		this.serverTools = serverTools;
		this.catalog = catalog;
		this.router = router;
		this.passThrough = passThrough;
		this.translated = translated;
		this.limits = limits;
		this.recorder = recorder;
		this.conversations = conversations;
		this.sessions = sessions;
		this.tokens = tokens;
		this.mapper = mapper;
		this.clock = clock;
		this.maxAttempts = properties.maxAttempts();
		this.retryBackoffMillis = properties.retryBackoff().toMillis();
	}

	void complete(ApiCaller caller, byte[] body, String sessionHeader, HttpServletResponse response)
			throws IOException {
		ChatCompletionRequest chat = ChatCompletionRequest.parse(body, mapper.getFactory());
		ModelSpec model = catalog.find(chat.model()).orElseThrow(() -> OpenAiError.modelNotFound(chat.model()));
		if (!caller.key().allows(model.name())) {
			throw new OpenAiError(403,
					"This API key may not use the model `" + model.name() + "`. It may use: "
							+ String.join(", ", caller.key().allowedModels().stream().sorted().toList()) + ".",
					"permission_error", "model", "model_not_allowed", 0);
		}
		// the server's MCP tools, checked before anything is reserved or sent
		ServerTools.Requested mcp = serverTools.resolve(chat, model);
		Session session = session(caller, sessionHeader);
		KeyLimits.Reservation reservation = reserve(caller.key(), chat, model);
		Served served = null;
		try {
			served = attempts(caller, chat, mcp, model, session != null, response);
		}
		finally {
			if (served == null) {
				limits.settle(reservation, 0, 0);
			}
		}
		// attempts() recorded the call; here the budget and the session
		Attempt.Answered answered = served.answered();
		long cost = cost(model, answered);
		if (answered.status() == 200) {
			limits.settle(reservation, answered.tokensIn() + answered.tokensOut(), cost);
			if (session != null) {
				sessions.storeLater(caller.owner(), session, chat.tree(mapper), answered.text(),
						new AnswerRecord(model.name(), served.target().provider(), answered.tokensIn(),
								answered.tokensOut(), cost, (System.nanoTime() - caller.arrivedAt()) / 1_000_000, 0,
								"stop"));
			}
		}
		else if (answered.charged()) {
			// an answer that failed after rounds of the gateway's tool loop still used
			// them
			limits.settle(reservation, answered.tokensIn() + answered.tokensOut(), cost);
		}
		else {
			limits.settle(reservation, 0, 0);
		}
	}

	/**
	 * What an answer cost: its tokens when it is charged (one that came, or a tool loop
	 * whose later round failed), nothing for any other failure.
	 */
	private static long cost(ModelSpec model, Attempt.Answered answered) {
		return answered.charged() ? model.price()
			.costNanos(new TokenUsage(answered.tokensIn(), answered.tokensOut(), answered.tokensCached())) : 0;
	}

	/**
	 * Reserves the most this call can cost, when the key has a token or spend limit: its
	 * input (counted) plus its {@code max_tokens}, or the model's output limit.
	 */
	private KeyLimits.Reservation reserve(ApiKey key, ChatCompletionRequest chat, ModelSpec model) {
		if (key.tokensPerDay() == null && key.spendPerMonthNanos() == null) {
			return limits.reserve(key, 0, 0);
		}
		int input = tokens.count(Translation.allText(chat.tree(mapper)));
		int output = chat.maxTokens() > 0 ? Math.min(chat.maxTokens(), model.maxOutputTokens())
				: model.maxOutputTokens();
		return limits.reserve(key, (long) input + output, model.price().costNanos(new TokenUsage(input, output)));
	}

	/** The answer the client had, and the deployment that gave it. */
	private record Served(Router.Target target, Attempt.Answered answered) {
	}

	/** The attempt loop; returns the answer the client had, or throws its error. */
	private Served attempts(ApiCaller caller, ChatCompletionRequest chat, ServerTools.Requested mcp, ModelSpec model,
			boolean collectText, HttpServletResponse response) throws IOException {
		List<Router.Target> plan = router.plan(model);
		List<String> happened = new ArrayList<>(maxAttempts);
		Attempt.Failed last = null;
		Router.Target lastTarget = null;
		long longestRetryAfter = 0;
		int made = 0;
		boolean skippedOpen = false;
		// a plain loop rather than a retry library's: each attempt picks its own
		// deployment, while the breakers (Resilience4j) keep each one's health
		passes: while (!plan.isEmpty()) {
			boolean called = false;
			for (Router.Target target : plan) {
				if (made == maxAttempts) {
					break passes;
				}
				if (!target.waitedOut(System.nanoTime())) {
					continue; // its Retry-After came during this request
				}
				if (!target.tryAcquire()) {
					skippedOpen = true;
					continue;
				}
				called = true;
				made++;
				long started = System.nanoTime();
				Attempt attempt;
				try {
					// the gateway's tool loop speaks to every deployment through the llm
					// module
					attempt = mcp != null ? translated.call(target, chat, mcp, caller, response)
							: target.passThrough() ? passThrough.call(target, chat, caller, response, collectText)
									: translated.call(target, chat, caller, response);
				}
				catch (IOException | RuntimeException failed) {
					target.released();
					throw failed;
				}
				lastTarget = target;
				switch (attempt) {
					case Attempt.Answered answered -> {
						if (answered.upstreamFault()) {
							target.failed(started, new IOException("the answer broke off"));
						}
						else {
							target.succeeded(started);
						}
						record(caller, target, model, answered);
						return new Served(target, answered);
					}
					case Attempt.Failed failed -> {
						target.failed(started, new IOException(failed.detail()));
						router.holdFor(target, failed.retryAfterSeconds());
						longestRetryAfter = Math.max(longestRetryAfter, failed.retryAfterSeconds());
						log.info("upstream {} of {} failed ({}), attempt {} of {}", target.label(), model.name(),
								failed.detail(), made, maxAttempts);
						happened.add(target.label() + ": " + failed.detail());
						last = failed;
					}
				}
			}
			if (!called || made == maxAttempts || !pause()) {
				break;
			}
			// every deployment had its turn: those still callable again, after the pause
			plan = router.plan(model);
		}
		OpenAiError error = unavailable(model, last, happened, longestRetryAfter, skippedOpen);
		Router.Target recorded = lastTarget != null ? lastTarget : router.targets(model.name()).getFirst();
		record(caller, recorded, model, Attempt.Answered.refused(error.status(), chat.stream(), 0));
		throw error;
	}

	/**
	 * Waits before calling a deployment again; false when interrupted (shutting down).
	 */
	private boolean pause() {
		if (retryBackoffMillis <= 0) {
			return true;
		}
		try {
			Thread.sleep(retryBackoffMillis);
			return true;
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** What the client hears when no attempt gave an answer: what really happened. */
	private OpenAiError unavailable(ModelSpec model, Attempt.Failed last, List<String> happened, long retryAfter,
			boolean skippedOpen) {
		String name = "`" + model.name() + "`";
		if (last == null) {
			long wait = router.secondsUntilAvailable(model);
			return skippedOpen
					? new OpenAiError(503,
							"The model " + name + " is unavailable: its upstream failed too often "
									+ "recently and is left out for now. Please try again in " + wait + " s.",
							"server_error", null, "upstream_unavailable", wait)
					: new OpenAiError(429,
							"The model " + name + " is rate limited upstream, which asked to wait. "
									+ "Please try again in " + wait + " s.",
							"requests", null, "rate_limit_exceeded", wait);
		}
		String tried = happened.size() == 1 ? happened.getFirst()
				: happened.size() + " attempts: " + String.join("; ", happened);
		return switch (last.kind()) {
			case RATE_LIMITED -> {
				long wait = retryAfter > 0 ? retryAfter : router.secondsUntilAvailable(model);
				yield new OpenAiError(429, "The model " + name + " is rate limited upstream (" + tried
						+ "). Please try again in " + wait + " s.", "requests", null, "rate_limit_exceeded", wait);
			}
			case SERVER_ERROR -> new OpenAiError(502, "The upstream of " + name + " failed (" + tried + ").",
					"server_error", null, "upstream_error", retryAfter);
			case TIMEOUT -> new OpenAiError(504, "The upstream of " + name + " did not answer in time (" + tried + ").",
					"server_error", null, "upstream_timeout", 0);
			case UNREACHABLE ->
				new OpenAiError(502, "The upstream of " + name + " could not be reached (" + tried + ").",
						"server_error", null, "upstream_unreachable", 0);
		};
	}

	/** The session named by the header, if any, checked with the usual rules. */
	private Session session(ApiCaller caller, String header) {
		if (header == null || header.isBlank()) {
			return null;
		}
		SessionId id = SessionId.parse(header)
			.orElseThrow(() -> OpenAiError.invalid(
					"The " + Gateway.SESSION_HEADER + " header must be a session number.", null, "invalid_session"));
		try {
			return conversations.session(caller.owner().id(), id);
		}
		catch (ConversationException.NotFound notFound) {
			throw new OpenAiError(404, notFound.getMessage(), "invalid_request_error", null, "session_not_found", 0);
		}
	}

	private void record(ApiCaller caller, Router.Target target, ModelSpec model, Attempt.Answered answered) {
		long cost = cost(model, answered);
		long latencyNanos = System.nanoTime() - caller.arrivedAt();
		recorder.record(new ApiCall(caller.key().id(), caller.owner().id().value(), model.name(), target.label(),
				answered.tokensIn(), answered.tokensOut(), cost,
				(int) Math.min(Integer.MAX_VALUE, latencyNanos / 1_000_000),
				(int) Math.min(Integer.MAX_VALUE, answered.overheadNanos() / 1_000), answered.status(),
				answered.streamed(), clock.millis(), answered.tokensCached(), answered.charged()));
	}

}
