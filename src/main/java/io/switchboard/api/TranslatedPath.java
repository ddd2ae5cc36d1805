package io.switchboard.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletResponse;

import io.switchboard.llm.ChatModels;
import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.LlmException;

import org.springframework.stereotype.Component;

/**
 * One attempt against an upstream of another protocol (Anthropic, Gemini, ...): the
 * request is translated for the llm module's adapter, and its answer back into OpenAI's
 * completion or chunks. A streamed answer's response is committed with its first piece,
 * so a failure before it can still go to another deployment.
 */
@Component
class TranslatedPath {

	private final ChatModels chatModels;

	private final ObjectMapper mapper;

	private final Clock clock;

	private final OpenStreams streams;

	TranslatedPath(ChatModels chatModels, ObjectMapper mapper, Clock clock, OpenStreams streams) {
		this.streams = streams;
		this.chatModels = chatModels;
		this.mapper = mapper;
		this.clock = clock;
	}

	Attempt call(Router.Target target, ChatCompletionRequest chat, ApiCaller caller, HttpServletResponse response)
			throws IOException {
		ChatRequest request = Translation.toChatRequest(chat.tree(mapper), target.model());
		long before = System.nanoTime() - caller.arrivedAt();
		String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
		long created = clock.instant().getEpochSecond();
		String name = target.model().name();
		if (!chat.stream()) {
			ChatResponse answer;
			try {
				answer = chatModels.chat(request);
			}
			catch (LlmException.Retriable failure) {
				return failed(failure);
			}
			catch (LlmException.NonRetriable failure) {
				OpenAiError error = translate(failure);
				error.writeTo(response);
				return Attempt.Answered.refused(error.status(), false, before);
			}
			byte[] body = Translation.completion(mapper, id, created, name, answer);
			response.setStatus(200);
			response.setContentType("application/json");
			response.setContentLength(body.length);
			response.setHeader(Gateway.OVERHEAD_HEADER, Gateway.millis(before));
			response.getOutputStream().write(body);
			return new Attempt.Answered(200, answer.usage().inputTokens(), answer.usage().outputTokens(), answer.text(),
					before, false, false, answer.usage().cachedInputTokens());
		}
		Chunks stream = new Chunks(response, id, created, name, before);
		ChatResponse answer;
		try (OpenStreams.Open registered = streams.register(stream::interrupt)) {
			answer = chatModels.stream(request, stream::piece);
		}
		catch (LlmException.Retriable failure) {
			if (!stream.started) {
				return failed(failure);
			}
			stream.fail(new OpenAiError(502, "The upstream stream broke off: " + failure.userMessage(), "server_error",
					null, "upstream_stream_broken", 0));
			return new Attempt.Answered(502, 0, 0, "", stream.overhead, true, true);
		}
		catch (LlmException.NonRetriable failure) {
			OpenAiError error = translate(failure);
			if (!stream.started) {
				error.writeTo(response);
				return Attempt.Answered.refused(error.status(), true, before);
			}
			stream.fail(error);
			return Attempt.Answered.refused(error.status(), true, stream.overhead);
		}
		catch (ClientGone gone) {
			return Attempt.Answered.refused(stream.interrupted ? 503 : 499, true, stream.overhead);
		}
		stream.finish(answer, chat.clientWantsUsage());
		return new Attempt.Answered(200, answer.usage().inputTokens(), answer.usage().outputTokens(), answer.text(),
				stream.overhead, true, false, answer.usage().cachedInputTokens());
	}

	private static Attempt.Failed failed(LlmException.Retriable failure) {
		return switch (failure) {
			case LlmException.RateLimited limited ->
				new Attempt.Failed(Attempt.Kind.RATE_LIMITED, limited.retryAfterSeconds(), failure.getMessage());
			case LlmException.ProviderTimeout timeout ->
				new Attempt.Failed(Attempt.Kind.TIMEOUT, 0, failure.getMessage());
			default -> new Attempt.Failed(Attempt.Kind.SERVER_ERROR, 0, failure.getMessage());
		};
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

	/** Writes a translated answer as OpenAI chunks. */
	private final class Chunks {

		private final HttpServletResponse response;

		private final String id;

		private final long created;

		private final String model;

		private final long before;

		private boolean started;

		private volatile boolean interrupted;

		private long overhead;

		private OutputStream out;

		Chunks(HttpServletResponse response, String id, long created, String model, long before) {
			this.response = response;
			this.id = id;
			this.created = created;
			this.model = model;
			this.before = before;
		}

		synchronized void piece(String text) {
			if (interrupted) {
				throw new ClientGone();
			}
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
			response.setHeader(Gateway.OVERHEAD_HEADER, Gateway.millis(overhead));
			out = response.getOutputStream();
			out.write(Translation.chunk(mapper, id, created, model, "assistant", "", null, null));
		}

		/** The server is stopping: the last event, from another thread. */
		synchronized void interrupt() {
			if (started && !interrupted) {
				Gateway.writeQuietly(out, OpenStreams.RESTARTING.event());
			}
			interrupted = true;
		}

		synchronized void finish(ChatResponse answer, boolean withUsage) throws IOException {
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

		synchronized void fail(OpenAiError error) {
			Gateway.writeQuietly(out, error.event());
		}

	}

	/**
	 * The client went away while a translated answer was streaming: thrown out of the
	 * adapter's callback to stop it reading the upstream.
	 */
	private static final class ClientGone extends RuntimeException {

		ClientGone() {
			super("client gone", null, false, false);
		}

	}

}
