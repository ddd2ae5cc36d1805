package io.switchboard.llm.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;

import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.ContentPart;
import io.switchboard.llm.FinishReason;
import io.switchboard.llm.LlmException;
import io.switchboard.llm.TokenCounter;
import io.switchboard.llm.TokenUsage;

/**
 * One provider's chat and streaming chat through a pair of LangChain4j models: translates
 * the request, bridges streaming to the blocking contract, maps the answer, and turns
 * every failure into an {@link LlmException}. The models must be built with
 * {@link BlockingHttpClient} and LangChain4j's own retries off, since {@code ChatModels}
 * retries.
 */
public final class LangChain4jChat {

	private final ChatModel chatModel;

	private final StreamingChatModel streamingModel;

	private final Vendor vendor;

	private final Failures failures;

	private final TokenCounter tokens;

	public LangChain4jChat(ChatModel chatModel, StreamingChatModel streamingModel, Vendor vendor, Failures failures,
			TokenCounter tokens) {
		this.chatModel = chatModel;
		this.streamingModel = streamingModel;
		this.vendor = vendor;
		this.failures = failures;
		this.tokens = tokens;
	}

	public ChatResponse chat(ChatRequest request) {
		dev.langchain4j.model.chat.response.ChatResponse answer;
		try {
			answer = chatModel.chat(toLangChain4j(request));
		}
		catch (RuntimeException failure) {
			throw translate(failure);
		}
		String text = answer.aiMessage() == null || answer.aiMessage().text() == null ? "" : answer.aiMessage().text();
		return response(request, text, answer);
	}

	public ChatResponse stream(ChatRequest request, Consumer<String> onText) {
		StreamCollector collector = new StreamCollector(onText);
		try {
			streamingModel.chat(toLangChain4j(request), collector);
		}
		catch (RuntimeException failure) {
			if (collector.consumerFailure() == null) {
				throw translate(failure);
			}
		}
		if (collector.consumerFailure() instanceof RuntimeException broke) {
			throw broke;
		}
		if (collector.consumerFailure() instanceof Error broke) {
			throw broke;
		}
		if (collector.failure() != null) {
			throw translate(collector.failure());
		}
		// Anthropic ends an answer with message_stop, Gemini only with a finish
		// reason: LangChain4j's Gemini model completes whenever the stream closes
		if (collector.completed() == null || collector.completed().finishReason() == null) {
			throw failures.unavailable(0, "the answer stream ended before the answer was complete", null);
		}
		// the pieces handed out are the answer, whatever LangChain4j joined them into
		return response(request, collector.text(), collector.completed());
	}

	private dev.langchain4j.model.chat.request.ChatRequest toLangChain4j(ChatRequest request) {
		var builder = dev.langchain4j.model.chat.request.ChatRequest.builder()
			.messages(Conversation.toLangChain4j(request.messages(), vendor.marksCacheBreakpoints()))
			.modelName(request.model().upstreamId())
			.maxOutputTokens(request.maxOutputTokens())
			.temperature(request.temperature());
		if (!request.tools().isEmpty()) {
			builder.toolSpecifications(request.tools().stream().map(ToolSchemas::toLangChain4j).toList());
		}
		return builder.build();
	}

	private ChatResponse response(ChatRequest request, String text,
			dev.langchain4j.model.chat.response.ChatResponse answer) {
		List<ContentPart.ToolCall> calls = new ArrayList<>();
		if (answer.aiMessage() != null && answer.aiMessage().hasToolExecutionRequests()) {
			int n = 0;
			for (ToolExecutionRequest call : answer.aiMessage().toolExecutionRequests()) {
				n++;
				// Gemini gives its calls no ids: number them, so each result can name one
				String id = call.id() == null || call.id().isBlank() ? "call_" + n : call.id();
				calls.add(new ContentPart.ToolCall(id, call.name(), call.arguments()));
			}
		}
		return new ChatResponse(text, usage(answer.tokenUsage(), request, text), vendor.finishReason(answer), calls);
	}

	private TokenUsage usage(dev.langchain4j.model.output.TokenUsage usage, ChatRequest request, String text) {
		// estimate what the vendor did not report rather than record zero cost
		Vendor.ReportedInput input = vendor.input(usage);
		Integer output = usage == null ? null : usage.outputTokenCount();
		int total = input.total() != null ? input.total() : tokens.count(request.messages());
		return new TokenUsage(total, output != null ? output : tokens.count(text),
				Math.clamp(input.cached(), 0, total));
	}

	/** LangChain4j's stop reason in our terms. */
	static FinishReason finishReason(dev.langchain4j.model.output.FinishReason reason) {
		if (reason == null) {
			return FinishReason.STOP;
		}
		return switch (reason) {
			case STOP -> FinishReason.STOP;
			case LENGTH -> FinishReason.LENGTH;
			case CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
			case TOOL_EXECUTION -> FinishReason.TOOL_CALLS;
			case OTHER -> FinishReason.OTHER;
		};
	}

	/**
	 * The {@link LlmException} a failure stands for. LangChain4j wraps what the HTTP
	 * client threw, so the whole cause chain is searched: first for an answer from the
	 * vendor, then for what went wrong on the way.
	 */
	LlmException translate(Throwable failure) {
		List<Throwable> chain = chain(failure);
		for (Throwable cause : chain) {
			if (cause instanceof LlmException known) {
				return known;
			}
			if (cause instanceof HttpStatusException http) {
				return vendor.httpError(http.statusCode(), http.body(), http.retryAfterSeconds());
			}
		}
		Optional<LlmException> vendorSpecific = chain.stream()
			.map(vendor::otherError)
			.flatMap(Optional::stream)
			.findFirst();
		if (vendorSpecific.isPresent()) {
			return vendorSpecific.get();
		}
		for (Throwable cause : chain) {
			if (cause instanceof SocketTimeoutException || cause instanceof HttpTimeoutException
					|| cause instanceof TimeoutException) {
				return failures.timeout("no answer within the configured timeout", cause);
			}
		}
		// LangChain4j's own classification, for failures that carry no HTTP answer
		for (Throwable cause : chain) {
			switch (cause) {
				case RateLimitException limited -> {
					return failures.rateLimited(limited.getMessage(), 0);
				}
				case AuthenticationException refused -> {
					return failures.authenticationFailed(0, refused.getMessage());
				}
				case ContentFilteredException filtered -> {
					return failures.contentFiltered(0, filtered.getMessage());
				}
				case InvalidRequestException invalid -> {
					return failures.invalidRequest(0, invalid.getMessage());
				}
				case ModelNotFoundException notFound -> {
					return failures.invalidRequest(404, notFound.getMessage());
				}
				case InternalServerException serverError -> {
					return failures.unavailable(0, serverError.getMessage(), null);
				}
				default -> {
				}
			}
		}
		for (Throwable cause : chain) {
			if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
				return failures.unavailable(0, "cannot connect: " + cause.getMessage(), cause);
			}
			if (cause instanceof IOException) {
				return failures.unavailable(0, "connection broken: " + cause.getMessage(), cause);
			}
		}
		for (Throwable cause : chain) {
			if (cause instanceof IllegalArgumentException || cause instanceof UnsupportedFeatureException) {
				return failures.invalidRequest(0, cause.getMessage());
			}
		}
		return failures.unavailable(0, "unexpected failure: " + failure, failure);
	}

	private static List<Throwable> chain(Throwable failure) {
		List<Throwable> chain = new ArrayList<>();
		for (Throwable cause = failure; cause != null && !chain.contains(cause); cause = cause.getCause()) {
			chain.add(cause);
		}
		return chain;
	}

}
