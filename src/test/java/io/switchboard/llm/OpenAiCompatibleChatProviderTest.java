package io.switchboard.llm;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.fakes.FakeChatServer;
import io.switchboard.fakes.FakeOpenAi;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiCompatibleChatProviderTest extends ChatProviderContract {

	@Override
	protected FakeChatServer startFake(String apiKey) {
		return FakeOpenAi.start(apiKey);
	}

	@Override
	protected LlmProperties.ProviderType type() {
		return LlmProperties.ProviderType.OPENAI;
	}

	@Override
	protected ContentFilterSignal contentFilterSignal() {
		return ContentFilterSignal.ERROR;
	}

	@Test
	void sendsTheKeyAsBearerTokenAndAsksForUsageWhenStreaming() {
		provider().stream(request("Hi"), piece -> {
		});

		var sent = fake.lastRequest();
		assertThat(sent.path()).isEqualTo("/v1/chat/completions");
		assertThat(sent.header("Authorization")).isEqualTo("Bearer " + API_KEY);
		assertThat(sent.json().path("stream").asBoolean()).isTrue();
		assertThat(sent.json().path("stream_options").path("include_usage").asBoolean()).isTrue();
		assertThat(sent.json().path("model").asText()).isEqualTo("upstream-model-1");
	}

	@Test
	void contentFilterFinishReasonInAnAnswerIsReported() {
		((FakeOpenAi) fake).finishReason("content_filter");

		assertThat(provider().chat(request("Hi")).finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
		assertThat(provider().stream(request("Hi"), piece -> {
		}).finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
	}

	@Test
	void lengthFinishReasonMeansTheAnswerWasCutShort() {
		((FakeOpenAi) fake).finishReason("length");

		assertThat(provider().chat(request("Hi")).finishReason()).isEqualTo(FinishReason.LENGTH);
	}

	@Test
	void imagesGoWithTheModelsDetail() {
		ModelSpec cheap = new ModelSpec("fake-model", "fake", "upstream-model-1", 8192, 1024, Price.FREE, true, false,
				ImageDetail.LOW);
		List<ContentPart> photoAndQuestion = List.of(new ContentPart.Image("image/png", PNG),
				new ContentPart.Text("What is this?"), new ContentPart.Image("image/png", PNG));

		provider().chat(new ChatRequest(cheap, List.of(new ChatMessage(Role.USER, photoAndQuestion)), 100));
		assertThat(((FakeOpenAi) fake).imageDetails(fake.lastRequestJson())).containsExactly("low", "low");

		provider().stream(new ChatRequest(model(), List.of(new ChatMessage(Role.USER, photoAndQuestion)), 100),
				piece -> {
				});
		assertThat(((FakeOpenAi) fake).imageDetails(fake.lastRequestJson())).as("the default")
			.containsExactly("auto", "auto");
	}

	@Test
	void assistantTurnsArriveWithTheirRole() {
		provider().chat(new ChatRequest(model(),
				List.of(ChatMessage.user("Hi"), ChatMessage.assistant("Hello!"), ChatMessage.user("Again")), 50));

		assertThat(fake.lastRequestJson().path("messages").findValuesAsText("role")).containsExactly("user",
				"assistant", "user");
	}

}
