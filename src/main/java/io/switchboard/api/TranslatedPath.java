package io.switchboard.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.servlet.http.HttpServletResponse;

import io.switchboard.assistant.ToolAnswers;
import io.switchboard.llm.ChatModels;
import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.LlmException;
import io.switchboard.llm.TokenUsage;

import org.springframework.stereotype.Component;

/**
 * One attempt against an upstream of another protocol (Anthropic, Gemini, ...): the
 * request is translated for the llm module's adapter, and its answer back into OpenAI's
 * completion or chunks. A streamed answer's response is committed with its first piece,
 * so a failure before it can still go to another deployment.
 * <p>
 * A request that asks for the server's MCP tools ({@link ServerTools}) takes this path on
 * every deployment, OpenAI-compatible ones too: the assistant's tool loop runs the
 * rounds, and each tool the gateway ran is told to the client as an {@code mcp_call}
 * item, shaped as in OpenAI's Responses API (a whole answer's {@code mcp_calls}; one
 * chunk with no choices per call when streaming).
 */
@Component
class TranslatedPath {

	private final ChatModels chatModels;

	private final ObjectMapper mapper;

	private final Clock clock;

	private final OpenStreams streams;

	private final ToolAnswers toolAnswers;

	TranslatedPath(ChatModels chatModels, ObjectMapper mapper, Clock clock, OpenStreams streams,
			ToolAnswers toolAnswers) {
		this.streams = streams;
		this.toolAnswers = toolAnswers;
		this.chatModels = chatModels;
		this.mapper = mapper;
		this.clock = clock;
	}

	Attempt call(Router.Target target, ChatCompletionRequest chat, ApiCaller caller, HttpServletResponse response)
			throws IOException {
		return call(target, chat, null, caller, response);
	}

	/**
	 * @param mcp the server's MCP tools the client asked for, or {@code null}
	 */
	Attempt call(Router.Target target, ChatCompletionRequest chat, ServerTools.Requested mcp, ApiCaller caller,
			HttpServletResponse response) throws IOException {
		ChatRequest request = Translation.toChatRequest(mcp == null ? chat.tree(mapper) : mcp.clientBody(),
				target.model());
		long before = System.nanoTime() - caller.arrivedAt();
		String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
		long created = clock.instant().getEpochSecond();
		String name = target.model().name();
		if (!chat.stream()) {
			Steps steps = new Steps(mcp, null);
			ChatResponse answer;
			try {
				answer = mcp == null ? chatModels.chat(request)
						: toolAnswers.answer(request, mcp.tools(), caller.owner(), null, piece -> {
						}, steps);
			}
			catch (LlmException.Retriable failure) {
				if (!steps.ranTools()) {
					return failed(failure);
				}
				// tools ran (they may have changed something): not again elsewhere
				OpenAiError error = new OpenAiError(502,
						"The upstream failed after MCP tools ran: " + failure.userMessage(), "server_error", null,
						"upstream_error", 0);
				error.writeTo(response);
				return steps.failed(error.status(), false, before);
			}
			catch (LlmException.NonRetriable failure) {
				OpenAiError error = translate(failure);
				error.writeTo(response);
				return steps.failed(error.status(), false, before);
			}
			byte[] body = Translation.completion(mapper, id, created, name, answer, mcp == null ? null : steps.items);
			response.setStatus(200);
			response.setContentType("application/json");
			response.setContentLength(body.length);
			response.setHeader(Gateway.OVERHEAD_HEADER, Gateway.millis(before));
			response.getOutputStream().write(body);
			return new Attempt.Answered(200, answer.usage().inputTokens(), answer.usage().outputTokens(), answer.text(),
					before, false, false, answer.usage().cachedInputTokens());
		}
		Chunks stream = new Chunks(response, id, created, name, before);
		Steps steps = new Steps(mcp, stream);
		ChatResponse answer;
		try (OpenStreams.Open registered = streams.register(stream::interrupt)) {
			answer = mcp == null ? chatModels.stream(request, stream::piece)
					: toolAnswers.answer(request, mcp.tools(), caller.owner(), null, stream::piece, steps);
		}
		catch (LlmException.Retriable failure) {
			if (!stream.started && !steps.ranTools()) {
				return failed(failure);
			}
			OpenAiError broken = new OpenAiError(502, "The upstream stream broke off: " + failure.userMessage(),
					"server_error", null, "upstream_stream_broken", 0);
			if (!stream.started) {
				broken.writeTo(response);
				return steps.failed(502, true, before);
			}
			stream.fail(broken);
			Attempt.Answered cut = steps.failed(502, true, stream.overhead);
			return new Attempt.Answered(502, cut.tokensIn(), cut.tokensOut(), "", stream.overhead, true, true,
					cut.tokensCached(), cut.charged());
		}
		catch (LlmException.NonRetriable failure) {
			OpenAiError error = translate(failure);
			if (!stream.started) {
				error.writeTo(response);
				return steps.failed(error.status(), true, before);
			}
			stream.fail(error);
			return steps.failed(error.status(), true, stream.overhead);
		}
		catch (ClientGone gone) {
			return steps.failed(stream.interrupted ? 503 : 499, true, stream.overhead);
		}
		stream.finish(answer, chat.clientWantsUsage());
		return new Attempt.Answered(200, answer.usage().inputTokens(), answer.usage().outputTokens(), answer.text(),
				stream.overhead, true, false, answer.usage().cachedInputTokens());
	}

	/**
	 * What the gateway's tool loop did so far: the rounds' usage (metered even when a
	 * later round fails) and the MCP calls it ran, as {@code mcp_call} items.
	 */
	private final class Steps implements ToolAnswers.Rounds {

		private final ServerTools.Requested mcp;

		private final Chunks stream;

		private final List<ObjectNode> items = new ArrayList<>();

		private int input;

		private int output;

		private int cached;

		Steps(ServerTools.Requested mcp, Chunks stream) {
			this.mcp = mcp;
			this.stream = stream;
		}

		@Override
		public void round(TokenUsage usage) {
			input += usage.inputTokens();
			output += usage.outputTokens();
			cached += usage.cachedInputTokens();
		}

		@Override
		public void step(String callId, String tool, String arguments, String result, boolean error) {
			ServerTools.Label label = mcp.labels().get(tool);
			ObjectNode item = mapper.createObjectNode()
				.put("type", "mcp_call")
				.put("id", callId)
				.put("server_label", label == null ? null : label.server())
				.put("name", label == null ? tool : label.tool())
				.put("arguments", arguments);
			if (error) {
				item.putNull("output").put("error", result);
			}
			else {
				item.put("output", result).putNull("error");
			}
			items.add(item);
			if (stream != null) {
				stream.step(item);
			}
		}

		boolean ranTools() {
			return !items.isEmpty();
		}

		/** An answer that failed, with the usage of the rounds before. */
		Attempt.Answered failed(int status, boolean streamed, long overhead) {
			return new Attempt.Answered(status, input, output, "", overhead, streamed, false, cached,
					input + output > 0);
		}

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

		/** An MCP call the gateway ran: a chunk with no choices, carrying the item. */
		synchronized void step(ObjectNode item) {
			if (interrupted) {
				throw new ClientGone();
			}
			try {
				if (!started) {
					start();
				}
				out.write(Translation.stepChunk(mapper, id, created, model, item));
				out.flush();
			}
			catch (IOException gone) {
				throw new ClientGone();
			}
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
