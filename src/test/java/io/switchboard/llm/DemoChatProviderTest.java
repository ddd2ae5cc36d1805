package io.switchboard.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.switchboard.llm.demo.DemoChatProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoChatProviderTest {

	private static final TokenCounter TOKENS = new TokenCounter();

	private final DemoChatProvider demo = new DemoChatProvider("demo", Duration.ZERO, TOKENS);

	private static final ModelSpec MODEL = new ModelSpec("demo", "demo", "demo", 16_384, 1_024, Price.FREE, true, true);

	private static ChatRequest request(List<ChatMessage> messages, int maxOutputTokens) {
		return new ChatRequest(MODEL, messages, maxOutputTokens);
	}

	@Test
	void answersDeterministicallyAndSaysItIsTheDemo() {
		ChatRequest request = request(List.of(ChatMessage.user("What is the weather?")), 500);

		ChatResponse first = demo.chat(request);
		ChatResponse second = demo.chat(request);

		assertThat(first).isEqualTo(second);
		assertThat(first.text()).startsWith(DemoChatProvider.LABEL + " You said: \"What is the weather?\".")
			.contains("built-in demo model");
		assertThat(first.finishReason()).isEqualTo(FinishReason.STOP);
	}

	@Test
	void streamsTheSameAnswerWordByWord() {
		DemoChatProvider slow = new DemoChatProvider("demo", Duration.ofMillis(1), TOKENS);
		ChatRequest request = request(List.of(ChatMessage.user("Tell me something")), 500);
		List<String> pieces = new ArrayList<>();

		ChatResponse streamed = slow.stream(request, pieces::add);

		assertThat(String.join("", pieces)).isEqualTo(streamed.text()).isEqualTo(demo.chat(request).text());
		assertThat(pieces).hasSizeGreaterThan(10).allMatch(piece -> piece.matches("\\S+\\s*|\\s+"));
		assertThat(pieces.getFirst()).isEqualTo("[demo ");
	}

	@Test
	void reportsUsageCountedByTheTokenizer() {
		List<ChatMessage> messages = List.of(ChatMessage.user("Count my tokens"));

		ChatResponse response = demo.chat(request(messages, 500));

		assertThat(response.usage()).isEqualTo(new TokenUsage(TOKENS.count(messages), TOKENS.count(response.text())));
	}

	@Test
	void mentionsImagesSystemPromptAndEarlierMessages() {
		ChatMessage withImage = new ChatMessage(Role.USER,
				List.of(new ContentPart.Text("Look"), new ContentPart.Image("image/png", new byte[] { 1, 2, 3 })));

		String text = demo
			.chat(request(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"),
					ChatMessage.assistant("Hello"), withImage), 500))
			.text();

		assertThat(text).contains("I received an image (image/png, 3 bytes)")
			.contains("I remember 2 earlier messages")
			.contains("My instructions: \"Be brief.\"");
	}

	@Test
	void cutsTheAnswerAtTheTokenLimit() {
		ChatResponse response = demo.chat(request(List.of(ChatMessage.user("Hi")), 5));

		assertThat(response.text()).hasSize(20).startsWith(DemoChatProvider.LABEL);
		assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
	}

}
