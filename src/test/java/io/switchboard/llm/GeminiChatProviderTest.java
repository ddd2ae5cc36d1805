package io.switchboard.llm;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.fakes.FakeChatServer;
import io.switchboard.fakes.FakeGemini;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GeminiChatProviderTest extends ChatProviderContract {

	@Override
	protected FakeChatServer startFake(String apiKey) {
		return FakeGemini.start(apiKey);
	}

	@Override
	protected LlmProperties.ProviderType type() {
		return LlmProperties.ProviderType.GEMINI;
	}

	@Override
	protected ContentFilterSignal contentFilterSignal() {
		return ContentFilterSignal.ERROR;
	}

	@Test
	void sendsTheKeyInAHeaderAndTheModelInThePath() {
		provider().chat(request("Hi"));
		var whole = fake.lastRequest();
		provider().stream(request("Hi"), piece -> {
		});
		var streamed = fake.lastRequest();

		assertThat(whole.path()).isEqualTo("/v1beta/models/upstream-model-1:generateContent");
		assertThat(streamed.path()).isEqualTo("/v1beta/models/upstream-model-1:streamGenerateContent");
		assertThat(streamed.queryParam("alt")).isEqualTo("sse");
		for (var sent : List.of(whole, streamed)) {
			assertThat(sent.header("x-goog-api-key")).isEqualTo(API_KEY);
			assertThat(sent.queryParam("key")).isNull();
		}
	}

	@Test
	void assistantTurnsArriveAsModelTurns() {
		provider().chat(new ChatRequest(model(),
				List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"), ChatMessage.user("Again")), 50));

		assertThat(fake.lastRequestJson().path("contents").findValuesAsText("role")).containsExactly("user", "model",
				"user");
	}

	@Test
	void safetyFinishReasonMeansContentFilter() {
		((FakeGemini) fake).finishReason("SAFETY").reply("");

		assertThat(provider().chat(request("Hi")).finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
		assertThat(provider().stream(request("Hi"), piece -> {
		}).finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
	}

	@Test
	void maxTokensFinishReasonMeansTheAnswerWasCutShort() {
		((FakeGemini) fake).finishReason("MAX_TOKENS");

		assertThat(provider().chat(request("Hi")).finishReason()).isEqualTo(FinishReason.LENGTH);
	}

	@Test
	void missingKeyIsAnAuthenticationFailure() {
		assertThat(org.assertj.core.api.Assertions
			.catchThrowable(() -> provider(null, java.time.Duration.ofSeconds(5)).chat(request("Hi"))))
			.isInstanceOfSatisfying(LlmException.AuthenticationFailed.class,
					failed -> assertThat(failed.httpStatus()).isEqualTo(403));
	}

}
