package io.switchboard.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.fakes.FakeAnthropic;
import io.switchboard.fakes.FakeChatServer;
import io.switchboard.llm.anthropic.AnthropicChatProvider;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnthropicChatProviderTest extends ChatProviderContract {

	@Override
	protected FakeChatServer startFake(String apiKey) {
		return FakeAnthropic.start(apiKey);
	}

	@Override
	protected LlmProperties.ProviderType type() {
		return LlmProperties.ProviderType.ANTHROPIC;
	}

	@Override
	protected ContentFilterSignal contentFilterSignal() {
		return ContentFilterSignal.FINISH_REASON;
	}

	@Test
	void sendsTheKeyAndVersionHeadersToTheMessagesEndpoint() {
		provider().chat(request("Hi"));

		var sent = fake.lastRequest();
		assertThat(sent.path()).isEqualTo("/v1/messages");
		assertThat(sent.header("x-api-key")).isEqualTo(API_KEY);
		assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
		assertThat(sent.json().path("model").asText()).isEqualTo("upstream-model-1");
	}

	@Test
	void reshapesTheConversationToStartWithTheUserAndAlternate() {
		// like Anthropic, the fake rejects a leading assistant turn and repeats
		ChatRequest request = new ChatRequest(model(),
				List.of(ChatMessage.system("Be kind."), ChatMessage.assistant("Welcome! Ask me anything."),
						ChatMessage.user("first"), ChatMessage.user("second"), ChatMessage.user("  "),
						ChatMessage.assistant("one"), ChatMessage.assistant("two"), ChatMessage.user("third")),
				100);

		ChatResponse response = provider().chat(request);

		JsonNode messages = fake.lastRequestJson().path("messages");
		assertThat(messages.findValuesAsText("role")).containsExactly("user", "assistant", "user");
		assertThat(texts(messages.get(0))).containsExactly("first", "second");
		assertThat(texts(messages.get(1))).containsExactly("one\n\ntwo");
		assertThat(texts(messages.get(2))).containsExactly("third");
		assertThat(fake.systemPrompt(fake.lastRequestJson())).isEqualTo("Be kind.");
		assertThat(response.text()).isEqualTo("Echo: third");
	}

	@Test
	void marksTheSystemPromptAndTheLastUserTurnAsCacheBreakpoints() {
		provider().stream(new ChatRequest(model(),
				List.of(ChatMessage.system("Be brief."), ChatMessage.system("Summary: we spoke of cats."),
						ChatMessage.user("Hi"), ChatMessage.assistant("Hello"), ChatMessage.user("Cats?")),
				256), piece -> {
				});

		JsonNode body = fake.lastRequestJson();
		JsonNode system = body.path("system");
		assertThat(system.get(system.size() - 1).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
		JsonNode messages = body.path("messages");
		JsonNode lastUser = messages.get(messages.size() - 1).path("content");
		assertThat(lastUser.get(lastUser.size() - 1).path("cache_control").path("type").asText())
			.isEqualTo("ephemeral");
		// earlier turns carry no breakpoint: Anthropic allows four in all
		assertThat(messages.get(0).toString()).doesNotContain("cache_control");
	}

	@Test
	void conversationWithoutAUserTurnIsAnInvalidRequest() {
		ChatRequest request = new ChatRequest(model(),
				List.of(ChatMessage.system("Be kind."), ChatMessage.assistant("Hello")), 100);

		assertThatThrownBy(() -> provider().chat(request)).isInstanceOf(LlmException.InvalidRequest.class);
		assertThat(fake.requests()).isEmpty();
	}

	@Test
	void maxTokensStopReasonMeansTheAnswerWasCutShort() {
		((FakeAnthropic) fake).stopReason("max_tokens");

		assertThat(provider().chat(request("Hi")).finishReason()).isEqualTo(FinishReason.LENGTH);
		assertThat(provider().stream(request("Hi"), piece -> {
		}).finishReason()).isEqualTo(FinishReason.LENGTH);
	}

	@Test
	void overloadedKeepsAnthropicsStatus() {
		fake.failNext(FakeChatServer.Failure.OVERLOADED);

		assertThatThrownBy(() -> provider().chat(request("Hi"))).isInstanceOfSatisfying(
				LlmException.ProviderUnavailable.class,
				unavailable -> assertThat(unavailable.httpStatus()).isEqualTo(529));
	}

	@Test
	void aProviderWithoutAKeyIsRejectedAtStartUp() {
		LlmProperties.Provider settings = new LlmProperties.Provider(LlmProperties.ProviderType.ANTHROPIC, null, null,
				"Authorization", Duration.ofSeconds(1), Duration.ofSeconds(1), Map.of(), 64);

		assertThatThrownBy(() -> new AnthropicChatProvider("claude", settings, new TokenCounter()))
			.isInstanceOf(InvalidConfigurationPropertyValueException.class)
			.hasMessageContaining("switchboard.llm.providers.claude.api-key");
	}

	private static List<String> texts(JsonNode message) {
		List<String> texts = new ArrayList<>();
		message.path("content").forEach(block -> texts.add(block.path("text").asText()));
		return texts;
	}

}
