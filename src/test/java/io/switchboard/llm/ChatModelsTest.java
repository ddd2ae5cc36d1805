package io.switchboard.llm;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.fakes.FakeChatServer.Failure;
import io.switchboard.fakes.FakeHttpServer;
import io.switchboard.fakes.FakeOpenAi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The facade's retries and metrics, against a fake OpenAI server. */
class ChatModelsTest {

	private static final String KEY = "sk-test-0123456789abcdef";

	private FakeOpenAi fake;

	private SimpleMeterRegistry meters;

	private ChatModels models;

	private ModelSpec model;

	@BeforeEach
	void setUp() {
		fake = FakeOpenAi.start(KEY);
		meters = new SimpleMeterRegistry();
		LlmProperties properties = new LlmProperties(
				Map.of("upstream",
						new LlmProperties.Provider(LlmProperties.ProviderType.OPENAI, fake.baseUrl(), KEY,
								"Authorization", Duration.ofSeconds(2), Duration.ofSeconds(5), Map.of(), 64)),
				Map.of("gpt-test",
						new LlmProperties.Model("upstream", "gpt-4o-mini", 8192, 1024, BigDecimal.ZERO, BigDecimal.ZERO,
								false)),
				null, new LlmProperties.Retry(3, Duration.ofMillis(10)), new LlmProperties.Demo(Duration.ZERO));
		ModelCatalog catalog = new ModelCatalog(properties);
		models = new ChatModels(new ChatProviders(catalog, properties, new TokenCounter(), new ObjectMapper()),
				properties, meters);
		model = catalog.defaultModel();
	}

	@AfterEach
	void stopTheFake() {
		fake.close();
	}

	private ChatRequest request(String text) {
		return new ChatRequest(model, List.of(ChatMessage.user(text)), 100);
	}

	@Test
	void retriableFailuresAreRetriedUntilTheAnswerComes() {
		fake.failNext(2, Failure.SERVER_ERROR).reply("Third time lucky.");

		ChatResponse response = models.chat(request("Hi"));

		assertThat(response.text()).isEqualTo("Third time lucky.");
		assertThat(fake.requests()).hasSize(3);
	}

	@Test
	void streamIsRetriedWhenItFailsBeforeTheFirstPiece() {
		fake.failNext(2, Failure.OVERLOADED).replyInPieces("No", " repeats");
		List<String> pieces = new ArrayList<>();

		ChatResponse response = models.stream(request("Hi"), pieces::add);

		assertThat(pieces).containsExactly("No", " repeats");
		assertThat(response.text()).isEqualTo("No repeats");
		assertThat(fake.requests()).hasSize(3);
	}

	@Test
	void retriesStopAfterMaxAttempts() {
		fake.failNext(5, Failure.SERVER_ERROR);

		assertThatThrownBy(() -> models.chat(request("Hi"))).isInstanceOf(LlmException.ProviderUnavailable.class);
		assertThat(fake.requests()).hasSize(3);
	}

	@Test
	void nonRetriableFailureIsNotRetried() {
		fake.failNext(3, Failure.UNAUTHORIZED);

		assertThatThrownBy(() -> models.chat(request("Hi"))).isInstanceOf(LlmException.AuthenticationFailed.class);
		assertThat(fake.requests()).hasSize(1);
	}

	@Test
	void contextTooLongIsNotRetried() {
		fake.failNext(3, Failure.CONTEXT_TOO_LONG);

		assertThatThrownBy(() -> models.stream(request("Hi"), piece -> {
		})).isInstanceOf(LlmException.ContextLengthExceeded.class);
		assertThat(fake.requests()).hasSize(1);
	}

	@Test
	void retriableFailureAfterTheFirstPieceIsNotRetried() {
		// retrying would show the user the first piece twice
		fake.replyInPieces("Half", " an answer").failNextStreamAfterFirstPiece();
		List<String> pieces = new ArrayList<>();

		Throwable failure = catchThrowable(() -> models.stream(request("Hi"), pieces::add));

		assertThat(failure).isInstanceOf(LlmException.ProviderUnavailable.class);
		assertThat(pieces).containsExactly("Half");
		assertThat(fake.requests()).hasSize(1);
	}

	@Test
	void timeoutAfterTheFirstPieceIsNotRetriedEither() {
		fake.replyInPieces("Half", " an answer").stallNextStreamAfterFirstPiece();
		LlmProperties properties = new LlmProperties(
				Map.of("upstream",
						new LlmProperties.Provider(LlmProperties.ProviderType.OPENAI, fake.baseUrl(), KEY,
								"Authorization", Duration.ofSeconds(2), Duration.ofMillis(300), Map.of(), 64)),
				Map.of("gpt-test",
						new LlmProperties.Model("upstream", null, 8192, 1024, BigDecimal.ZERO, BigDecimal.ZERO, false)),
				null, new LlmProperties.Retry(3, Duration.ofMillis(10)), new LlmProperties.Demo(Duration.ZERO));
		ModelCatalog catalog = new ModelCatalog(properties);
		ChatModels impatient = new ChatModels(
				new ChatProviders(catalog, properties, new TokenCounter(), new ObjectMapper()), properties, meters);
		List<String> pieces = new ArrayList<>();

		assertThatThrownBy(() -> impatient
			.stream(new ChatRequest(catalog.defaultModel(), List.of(ChatMessage.user("Hi")), 100), pieces::add))
			.isInstanceOf(LlmException.ProviderTimeout.class);
		assertThat(pieces).containsExactly("Half");
		assertThat(fake.requests()).hasSize(1);
	}

	@Test
	void exceptionFromOnTextReachesTheCallerUnchangedAndIsNotRetried() {
		fake.replyInPieces("one", " two");
		IllegalStateException clientGone = new IllegalStateException("the client went away");

		Throwable thrown = catchThrowable(() -> models.stream(request("Hi"), piece -> {
			throw clientGone;
		}));

		assertThat(thrown).isSameAs(clientGone);
		assertThat(fake.requests()).hasSize(1);
	}

	@Test
	void retryAfterOfARateLimitIsHonoured() {
		// the configured backoff is 10 ms; the fake asks for a whole second
		fake.rateLimitNext(1, 1).reply("Patience pays.");

		ChatResponse response = models.chat(request("Hi"));

		assertThat(response.text()).isEqualTo("Patience pays.");
		List<FakeHttpServer.RecordedRequest> requests = fake.requests();
		assertThat(requests).hasSize(2);
		Duration gap = Duration.ofNanos(requests.get(1).receivedAtNanos() - requests.get(0).receivedAtNanos());
		assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(990));
	}

	@Test
	void retryAfterIsCappedAndBackoffDoublesOtherwise() {
		LlmException.RateLimited hourLong = new LlmException.RateLimited("p", "slow down", 3600);
		LlmException.RateLimited twoSeconds = new LlmException.RateLimited("p", "slow down", 2);
		LlmException.RateLimited unsaid = new LlmException.RateLimited("p", "slow down", 0);
		LlmException.ProviderUnavailable down = new LlmException.ProviderUnavailable("p", 500, "down", null);

		assertThat(ChatModels.waitMillis(1, hourLong, 500)).isEqualTo(30_000);
		assertThat(ChatModels.waitMillis(1, twoSeconds, 500)).isEqualTo(2_000);
		assertThat(ChatModels.waitMillis(2, unsaid, 500)).isEqualTo(1_000);
		assertThat(ChatModels.waitMillis(1, down, 500)).isEqualTo(500);
		assertThat(ChatModels.waitMillis(3, down, 500)).isEqualTo(2_000);
	}

	@Test
	void callsAreTimedByModelProviderAndOutcome() {
		fake.usage(30, 7);
		models.chat(request("Hi"));
		fake.failNext(2, Failure.SERVER_ERROR);
		models.chat(request("Hi again"));
		fake.failNext(Failure.UNAUTHORIZED);
		catchThrowable(() -> models.chat(request("Hi")));

		// one call each, however many attempts it took
		assertThat(meters.get("switchboard.llm.calls")
			.tags("model", "gpt-test", "provider", "upstream", "outcome", "success")
			.timer()
			.count()).isEqualTo(2);
		assertThat(meters.get("switchboard.llm.calls")
			.tags("model", "gpt-test", "provider", "upstream", "outcome", "AuthenticationFailed")
			.timer()
			.count()).isEqualTo(1);
		assertThat(meters.get("switchboard.llm.tokens").tags("model", "gpt-test", "direction", "in").counter().count())
			.isEqualTo(60);
		assertThat(meters.get("switchboard.llm.tokens").tags("model", "gpt-test", "direction", "out").counter().count())
			.isEqualTo(14);
	}

}
