package io.switchboard.llm;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.fakes.FakeChatServer;
import io.switchboard.fakes.FakeChatServer.Failure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What every {@link ChatProvider} adapter must do, checked against a fake of its vendor
 * that speaks the vendor's real wire format (and reads what arrived from the vendor's
 * fields). Each adapter's test extends this, names its fake and adds what only its vendor
 * does.
 */
abstract class ChatProviderContract {

	protected static final String API_KEY = "test-key-5f2c9d1e8a7b6c4d3e2f";

	protected static final String WRONG_KEY = "wrong-key-0a1b2c3d4e5f6a7b8c9d";

	/** A real 1x1 PNG. */
	protected static final byte[] PNG = Base64.getDecoder()
		.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

	private static final TokenCounter TOKENS = new TokenCounter();

	/** How a vendor tells that its content filter stopped an answer. */
	protected enum ContentFilterSignal {

		/** A failure, thrown as {@link LlmException.ContentFiltered}. */
		ERROR,
		/** A normal answer with {@link FinishReason#CONTENT_FILTER}. */
		FINISH_REASON

	}

	protected FakeChatServer fake;

	/** Starts the fake of this adapter's vendor, accepting only {@code apiKey}. */
	protected abstract FakeChatServer startFake(String apiKey);

	protected abstract LlmProperties.ProviderType type();

	protected abstract ContentFilterSignal contentFilterSignal();

	@BeforeEach
	void startTheFake() {
		fake = startFake(API_KEY);
	}

	@AfterEach
	void stopTheFake() {
		fake.close();
	}

	/** The adapter, built as the application builds it, pointed at the fake. */
	protected ChatProvider provider() {
		return provider(API_KEY, Duration.ofSeconds(10));
	}

	protected ChatProvider provider(String apiKey, Duration readTimeout) {
		LlmProperties.Provider settings = new LlmProperties.Provider(type(), fake.baseUrl(), apiKey, "Authorization",
				Duration.ofSeconds(2), readTimeout, Map.of(), 64);
		LlmProperties properties = new LlmProperties(Map.of("fake", settings),
				Map.of("fake-model",
						new LlmProperties.Model("fake", "upstream-model-1", 8192, 1024, BigDecimal.ZERO,
								BigDecimal.ZERO, true)),
				null, new LlmProperties.Retry(1, Duration.ofMillis(1)), new LlmProperties.Demo(Duration.ZERO));
		ModelCatalog catalog = new ModelCatalog(properties);
		return new ChatProviders(catalog, properties, TOKENS, new ObjectMapper()).byName().get("fake");
	}

	protected static ModelSpec model() {
		return new ModelSpec("fake-model", "fake", "upstream-model-1", 8192, 1024, Price.FREE, true, false);
	}

	protected static ChatRequest request(String text) {
		return new ChatRequest(model(), List.of(ChatMessage.user(text)), 256);
	}

	@Test
	void chatReturnsTheAnswerWithTheVendorsUsage() {
		fake.reply("Hello from the fake.").usage(12, 5);

		ChatResponse response = provider().chat(request("Say hello"));

		assertThat(response.text()).isEqualTo("Hello from the fake.");
		assertThat(response.usage()).isEqualTo(new TokenUsage(12, 5));
		assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
		assertThat(fake.requests()).hasSize(1);
	}

	@Test
	void cachedInputTokensAreReadFromTheVendorsOwnFieldsWhenWhole() {
		fake.reply("Cached.").usage(2_000, 3, 1_536);

		ChatResponse response = provider().chat(request("What did we say?"));

		assertThat(response.usage()).isEqualTo(new TokenUsage(2_000, 3, 1_536));
	}

	@Test
	void cachedInputTokensAreReadFromTheVendorsOwnFieldsWhenStreamed() {
		fake.replyInPieces("Cached", " again.").usage(4_096, 2, 3_072);

		ChatResponse response = provider().stream(request("And now?"), piece -> {
		});

		assertThat(response.usage()).isEqualTo(new TokenUsage(4_096, 2, 3_072));
	}

	@Test
	void chatAnswersFromTheRequestByDefault() {
		ChatResponse response = provider().chat(request("ping pong"));

		assertThat(response.text()).isEqualTo("Echo: ping pong");
	}

	@Test
	void streamHandsOutThePiecesInOrderAndReturnsTheirConcatenation() {
		fake.replyInPieces("Once", " upon", " a", " time.").usage(20, 4);
		List<String> pieces = new ArrayList<>();

		ChatResponse response = provider().stream(request("Tell a story"), pieces::add);

		assertThat(pieces).containsExactly("Once", " upon", " a", " time.");
		assertThat(response.text()).isEqualTo(String.join("", pieces));
		assertThat(response.usage()).isEqualTo(new TokenUsage(20, 4));
		assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
	}

	@Test
	void streamHandsOutTheFirstPieceBeforeTheVendorHasFinishedSending() {
		// the fake holds the rest of the answer until the test has seen the first piece;
		// a client that waited for the whole answer would see it only after the fake
		// gave up waiting and finished
		CountDownLatch firstPieceSeen = new CountDownLatch(1);
		fake.replyInPieces("First", " second", " third").holdNextStreamAfterFirstPiece(firstPieceSeen);
		AtomicInteger finishedWhenFirstPieceArrived = new AtomicInteger(-1);
		List<String> pieces = new ArrayList<>();

		provider().stream(request("Count"), piece -> {
			if (pieces.isEmpty()) {
				finishedWhenFirstPieceArrived.set(fake.finishedReplies());
				firstPieceSeen.countDown();
			}
			pieces.add(piece);
		});

		assertThat(finishedWhenFirstPieceArrived).hasValue(0);
		assertThat(pieces).containsExactly("First", " second", " third");
	}

	@Test
	void streamHandsOutPiecesOnTheCallingThread() {
		fake.replyInPieces("a", "b").pieceDelay(Duration.ofMillis(20));
		Thread caller = Thread.currentThread();
		List<Thread> threads = new CopyOnWriteArrayList<>();

		provider().stream(request("Go"), piece -> threads.add(Thread.currentThread()));

		assertThat(threads).hasSize(2).containsOnly(caller);
	}

	@Test
	void systemPromptMaxTokensAndTemperatureArriveInTheVendorsFields() {
		ChatRequest request = new ChatRequest(model(),
				List.of(ChatMessage.system("You are terse."), ChatMessage.user("Hi")), 321, 0.25);

		provider().chat(request);
		JsonNode sent = fake.lastRequestJson();
		provider().stream(request, piece -> {
		});
		JsonNode streamed = fake.lastRequestJson();

		// each fake reads its vendor's own fields
		for (JsonNode json : List.of(sent, streamed)) {
			assertThat(fake.systemPrompt(json)).isEqualTo("You are terse.");
			assertThat(fake.maxTokens(json)).isEqualTo(321);
			assertThat(fake.temperature(json)).isEqualTo(0.25);
		}
	}

	@Test
	void imagePartArrivesAsTheVendorsImagePartWithTheSameBytes() {
		ChatRequest request = new ChatRequest(model(), List.of(new ChatMessage(Role.USER,
				List.of(new ContentPart.Text("What is this?"), new ContentPart.Image("image/png", PNG)))), 100);

		ChatResponse response = provider().chat(request);

		List<FakeChatServer.Image> images = fake.images(fake.lastRequestJson());
		assertThat(images).hasSize(1);
		assertThat(images.getFirst().mimeType()).isEqualTo("image/png");
		assertThat(images.getFirst().data()).isEqualTo(PNG);
		assertThat(response.text()).isEqualTo("Echo: What is this?");
	}

	@Test
	void rateLimitIsRetriableAndCarriesTheVendorsRetryAfter() {
		fake.rateLimitNext(2, 7);

		for (Supplier<ChatResponse> call : calls(provider(), request("Hi"))) {
			Throwable failure = catchThrowable(call::get);

			assertThat(failure).isInstanceOf(LlmException.RateLimited.class);
			LlmException.RateLimited limited = (LlmException.RateLimited) failure;
			assertThat(limited.retryAfterSeconds()).isEqualTo(7);
			assertThat(limited.httpStatus()).isEqualTo(429);
			assertThat(limited.provider()).isEqualTo("fake");
		}
	}

	@Test
	void serverErrorMeansProviderUnavailable() {
		fake.failNext(2, Failure.SERVER_ERROR);

		for (Supplier<ChatResponse> call : calls(provider(), request("Hi"))) {
			assertThatThrownBy(call::get).isInstanceOfSatisfying(LlmException.ProviderUnavailable.class,
					unavailable -> assertThat(unavailable.httpStatus()).isEqualTo(500));
		}
	}

	@Test
	void overloadedMeansProviderUnavailable() {
		fake.failNext(Failure.OVERLOADED);

		assertThatThrownBy(() -> provider().chat(request("Hi"))).isInstanceOfSatisfying(
				LlmException.ProviderUnavailable.class,
				unavailable -> assertThat(unavailable.httpStatus()).isGreaterThanOrEqualTo(500));
	}

	@Test
	void wrongKeyMeansAuthenticationFailed() {
		ChatProvider wrong = provider(WRONG_KEY, Duration.ofSeconds(10));

		for (Supplier<ChatResponse> call : calls(wrong, request("Hi"))) {
			assertThatThrownBy(call::get).isInstanceOf(LlmException.AuthenticationFailed.class);
		}
	}

	@Test
	void unauthorizedMeansAuthenticationFailed() {
		fake.failNext(Failure.UNAUTHORIZED);

		assertThatThrownBy(() -> provider().chat(request("Hi"))).isInstanceOfSatisfying(
				LlmException.AuthenticationFailed.class, failed -> assertThat(failed.httpStatus()).isEqualTo(401));
	}

	@Test
	void contextLengthErrorIsRecognised() {
		fake.failNext(2, Failure.CONTEXT_TOO_LONG);

		for (Supplier<ChatResponse> call : calls(provider(), request("A very long prompt"))) {
			assertThatThrownBy(call::get).isInstanceOf(LlmException.ContextLengthExceeded.class);
		}
	}

	@Test
	void contentFilterIsReported() {
		fake.failNext(2, Failure.CONTENT_FILTERED);

		for (Supplier<ChatResponse> call : calls(provider(), request("Something forbidden"))) {
			switch (contentFilterSignal()) {
				case ERROR -> assertThatThrownBy(call::get).isInstanceOf(LlmException.ContentFiltered.class);
				case FINISH_REASON -> assertThat(call.get().finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
			}
		}
	}

	@Test
	void noAnswerWithinTheReadTimeoutMeansProviderTimeout() {
		fake.hangNext().hangNext();
		ChatProvider impatient = provider(API_KEY, Duration.ofMillis(300));

		for (Supplier<ChatResponse> call : calls(impatient, request("Hi"))) {
			assertThatThrownBy(call::get).isInstanceOf(LlmException.ProviderTimeout.class);
		}
	}

	@Test
	void slowFirstByteWithinTheReadTimeoutIsFine() {
		fake.reply("Worth the wait.").firstByteDelay(Duration.ofMillis(200));

		assertThat(provider().chat(request("Hi")).text()).isEqualTo("Worth the wait.");
	}

	@Test
	void streamThatFallsSilentMidwayTimesOut() {
		fake.replyInPieces("Half", " an answer").stallNextStreamAfterFirstPiece();
		List<String> pieces = new ArrayList<>();

		assertThatThrownBy(() -> provider(API_KEY, Duration.ofMillis(500)).stream(request("Hi"), pieces::add))
			.isInstanceOf(LlmException.ProviderTimeout.class);
		assertThat(pieces).containsExactly("Half");
	}

	@Test
	void failureReportedMidStreamIsRetriable() {
		fake.replyInPieces("Half", " an answer").failNextStreamAfterFirstPiece();
		List<String> pieces = new ArrayList<>();

		assertThatThrownBy(() -> provider().stream(request("Hi"), pieces::add))
			.isInstanceOf(LlmException.ProviderUnavailable.class);
		assertThat(pieces).containsExactly("Half");
	}

	@Test
	void connectionDroppedMidStreamMeansProviderUnavailable() {
		fake.replyInPieces("Half", " an answer").dropNextStreamAfterFirstPiece();
		List<String> pieces = new ArrayList<>();

		assertThatThrownBy(() -> provider().stream(request("Hi"), pieces::add))
			.isInstanceOf(LlmException.ProviderUnavailable.class);
		assertThat(pieces).containsExactly("Half");
	}

	@Test
	void streamThatEndsBeforeTheAnswerIsCompleteIsAFailure() {
		// a clean end without the vendor's end-of-answer events must not pass for a
		// complete answer
		fake.replyInPieces("Half", " an answer").cutNextStreamAfterFirstPiece();
		List<String> pieces = new ArrayList<>();

		assertThatThrownBy(() -> provider().stream(request("Hi"), pieces::add))
			.isInstanceOf(LlmException.ProviderUnavailable.class);
		assertThat(pieces).containsExactly("Half");
	}

	@Test
	void unreachableProviderMeansProviderUnavailable() {
		ChatProvider provider = provider();
		fake.close();

		for (Supplier<ChatResponse> call : calls(provider, request("Hi"))) {
			assertThatThrownBy(call::get).isInstanceOf(LlmException.ProviderUnavailable.class);
		}
	}

	@Test
	void exceptionFromOnTextStopsTheStreamAndReachesTheCaller() {
		fake.replyInPieces("one", " two", " three");
		IllegalStateException clientGone = new IllegalStateException("the client went away");
		List<String> pieces = new ArrayList<>();

		Throwable thrown = catchThrowable(() -> provider().stream(request("Hi"), piece -> {
			pieces.add(piece);
			throw clientGone;
		}));

		assertThat(thrown).isSameAs(clientGone);
		assertThat(pieces).containsExactly("one");
	}

	@Test
	void apiKeyNeverAppearsInExceptionMessages() {
		List<Throwable> failures = new ArrayList<>();
		for (Supplier<ChatResponse> call : calls(provider(WRONG_KEY, Duration.ofSeconds(10)), request("Hi"))) {
			failures.add(catchThrowable(call::get));
		}
		for (Failure failure : Failure.values()) {
			fake.failNext(2, failure);
			for (Supplier<ChatResponse> call : calls(provider(), request("Hi"))) {
				failures.add(catchThrowable(call::get));
			}
		}
		fake.hangNext();
		failures.add(catchThrowable(() -> provider(API_KEY, Duration.ofMillis(200)).chat(request("Hi"))));

		assertThat(failures).filteredOn(LlmException.class::isInstance).hasSizeGreaterThanOrEqualTo(12);
		for (Throwable failure : failures) {
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				assertThat(String.valueOf(cause.getMessage())).doesNotContain(API_KEY).doesNotContain(WRONG_KEY);
				assertThat(cause.toString()).doesNotContain(API_KEY).doesNotContain(WRONG_KEY);
			}
			if (failure instanceof LlmException llm) {
				assertThat(llm.userMessage()).doesNotContain(API_KEY).doesNotContain(WRONG_KEY);
			}
		}
	}

	/** The same request sent as a whole and as a stream. */
	private static List<Supplier<ChatResponse>> calls(ChatProvider provider, ChatRequest request) {
		return List.of(() -> provider.chat(request), () -> provider.stream(request, piece -> {
		}));
	}

	private static final ToolSpec WEATHER = new ToolSpec("get_weather", "The weather in a city now",
			"{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\",\"description\":\"the city\"},"
					+ "\"days\":{\"type\":\"integer\"}},\"required\":[\"city\"]}");

	private static ChatRequest withTools(List<ChatMessage> messages) {
		return new ChatRequest(model(), messages, 256, null, List.of(WEATHER));
	}

	@Test
	void aToolCallComesBackInOurTermsWhetherStreamedOrNot() {
		for (boolean streamed : List.of(false, true)) {
			fake.callToolNext("get_weather", "{\"city\":\"Oslo\",\"days\":2}");
			ChatRequest request = withTools(List.of(ChatMessage.user("Weather in Oslo?")));
			List<String> pieces = new ArrayList<>();

			ChatResponse response = streamed ? provider().stream(request, pieces::add) : provider().chat(request);

			assertThat(fake.toolNames(fake.lastRequestJson())).containsExactly("get_weather");
			assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
			assertThat(response.toolCalls()).singleElement().satisfies(call -> {
				assertThat(call.name()).isEqualTo("get_weather");
				assertThat(new ObjectMapper().readTree(call.arguments()))
					.isEqualTo(new ObjectMapper().readTree("{\"city\":\"Oslo\",\"days\":2}"));
				assertThat(call.id()).isNotBlank();
			});
			assertThat(String.join("", pieces)).isEqualTo(response.text());
		}
	}

	@Test
	void aToolResultGoesBackInTheVendorsFormatAndTheModelAnswers() {
		fake.reply("It is cold in Oslo.");
		ContentPart.ToolCall call = new ContentPart.ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}");
		ChatRequest request = withTools(List.of(ChatMessage.user("Weather in Oslo?"),
				new ChatMessage(Role.ASSISTANT, List.of(call)), new ChatMessage(Role.TOOL,
						List.of(new ContentPart.ToolResult("call_1", "get_weather", "-5 C, snow", false)))));

		for (boolean streamed : List.of(false, true)) {
			ChatResponse response = streamed ? provider().stream(request, piece -> {
			}) : provider().chat(request);

			assertThat(response.text()).isEqualTo("It is cold in Oslo.");
			assertThat(response.toolCalls()).isEmpty();
			assertThat(fake.toolResults(fake.lastRequestJson())).singleElement().satisfies(result -> {
				assertThat(result.name()).isEqualTo("get_weather");
				assertThat(result.text()).contains("-5 C, snow");
			});
		}
	}

}
