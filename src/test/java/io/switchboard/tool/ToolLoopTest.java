package io.switchboard.tool;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.AssistantTool;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Received;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ToolOutcome;
import io.switchboard.assistant.ToolSource;
import io.switchboard.conversation.AnswerState;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.fakes.FakeChatServer;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.image.ImageJob;
import io.switchboard.image.ImageJobId;
import io.switchboard.image.ImageJobs;
import io.switchboard.llm.ToolSpec;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.RecordingSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tool loop end to end: a chat message, a model (OpenAI's fake) that asks for tools,
 * the tools run, their results go back, the answer is stored with its steps.
 */
@IntegrationTest
class ToolLoopTest {

	static final FakeOpenAi openai = FakeOpenAi.start();

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("switchboard.llm.providers.fake.type", () -> "openai");
		registry.add("switchboard.llm.providers.fake.base-url", () -> openai.baseUrl().toString());
		registry.add("switchboard.llm.models.gpt.provider", () -> "fake");
		registry.add("switchboard.llm.models.gpt.upstream-model", () -> "gpt-4o-mini");
		registry.add("switchboard.llm.models.plain.provider", () -> "fake");
		registry.add("switchboard.llm.default-model", () -> "gpt");
		registry.add("switchboard.tools.max-rounds", () -> "2");
		registry.add("switchboard.tools.tool-timeout", () -> "1s");
		registry.add("switchboard.tools.max-result-chars", () -> "1000");
		registry.add("switchboard.tools.models-without-tools", () -> "plain");
	}

	@AfterAll
	static void stop() {
		openai.close();
	}

	@TestConfiguration
	static class TestTools {

		@Bean
		ToolSource testTools() {
			return context -> List.of(tool("explode", () -> {
				throw new AssistantTool.ToolFailure("the detonator is wet");
			}), tool("hang", () -> {
				try {
					Thread.sleep(Duration.ofSeconds(30));
				}
				catch (InterruptedException stopped) {
					Thread.currentThread().interrupt();
				}
				return ToolOutcome.of("too late");
			}), tool("flood", () -> ToolOutcome.of("x".repeat(50_000))));
		}

		static AssistantTool tool(String name, java.util.function.Supplier<ToolOutcome> body) {
			return new AssistantTool() {
				@Override
				public ToolSpec spec() {
					return new ToolSpec(name, "a test tool", null);
				}

				@Override
				public ToolOutcome run(String arguments, io.switchboard.assistant.ToolContext context) {
					return body.get();
				}
			};
		}

	}

	@Autowired
	Assistant assistant;

	@Autowired
	ImageJobs images;

	final PlatformUserId me = new PlatformUserId("line", "U" + UUID.randomUUID());

	final RecordingSink sink = new RecordingSink();

	@BeforeEach
	void reset() {
		openai.reset();
	}

	StoredMessage ask(String text) {
		Received received = assistant.receive(InboundMessage.text(me, "Tester", Place.direct("line"), text));
		Received.Asked asked = (Received.Asked) received;
		return assistant.answer(asked.exchange().answerId(), "line", sink).orElseThrow();
	}

	@Test
	void aPictureAskedForInPlainWordsStartsAnImageJobWhereTheQuestionWasAsked() {
		openai.callToolNext("draw_image", "{\"prompt\":\"a fox in the snow\",\"aspect_ratio\":\"16:9\"}")
			.reply("Your fox is on its way.");

		StoredMessage answer = ask("draw me a fox in the snow");

		assertThat(answer.state()).isEqualTo(AnswerState.ANSWERED);
		assertThat(answer.text()).isEqualTo("Your fox is on its way.");
		ReplyEvent.ToolUsed used = sink.of(ReplyEvent.ToolUsed.class).getFirst();
		assertThat(used.tool()).isEqualTo("draw_image");
		assertThat(used.error()).isFalse();
		assertThat(used.imageJob()).isNotNull();
		ImageJob job = images.await(new ImageJobId(used.imageJob()), Duration.ofSeconds(20));
		assertThat(job.prompt()).contains("a fox in the snow");
		assertThat(job.origin().place()).isEqualTo(Place.direct("line"));
		assertThat(job.origin().requester()).isEqualTo(me);
		// the call and its result are stored with the answer, before its text
		assertThat(answer.parts()).hasSize(3);
		assertThat(answer.parts().get(0)).isInstanceOf(MessagePart.ToolCall.class);
		assertThat(answer.parts().get(1)).isInstanceOfSatisfying(MessagePart.ToolResult.class,
				result -> assertThat(result.imageJob()).isEqualTo(used.imageJob()));
		// the model read the result in OpenAI's format
		var second = openai.requests().getLast().json();
		assertThat(openai.toolNames(second)).contains("draw_image", "fetch_page", "current_time", "make_comic");
		assertThat(openai.toolResults(second)).singleElement()
			.satisfies(result -> assertThat(result.text()).contains("Image job"));
	}

	@Test
	void theTimeToolAnswersInTheZoneTheModelNames() {
		openai.callToolNext("current_time", "{\"time_zone\":\"Asia/Tokyo\"}").reply("It is late in Tokyo.");

		ask("what time is it in Tokyo?");

		assertThat(openai.toolResults(openai.requests().getLast().json())).singleElement()
			.satisfies(result -> assertThat(result.text()).contains("Asia/Tokyo", "UTC+09:00"));
	}

	@Test
	void aToolThatFailsHangsOrSaysTooMuchIsReportedToTheModelAndTheAnswerGoesOn() {
		openai.callToolNext("explode", "{}").callToolNext("hang", "{}").reply("Done anyway.");

		StoredMessage answer = ask("try the tools");

		assertThat(answer.state()).isEqualTo(AnswerState.ANSWERED);
		assertThat(answer.text()).isEqualTo("Done anyway.");
		List<FakeChatServer.ToolResult> results = openai.toolResults(openai.requests().getLast().json());
		assertThat(results).extracting(FakeChatServer.ToolResult::text)
			.containsExactly("the detonator is wet", "The tool hang gave no result within 1 s.");
		assertThat(sink.of(ReplyEvent.ToolUsed.class)).allMatch(ReplyEvent.ToolUsed::error);

		openai.callToolNext("flood", "{}").reply("Read it.");
		ask("flood me");
		String flood = openai.toolResults(openai.requests().getLast().json()).getLast().text();
		assertThat(flood).hasSizeLessThan(1100).startsWith("xxx").endsWith("[cut: 49000 more characters]");
	}

	@Test
	void aModelThatKeepsCallingToolsIsStoppedAfterTheRoundsAllowed() {
		openai.callToolEveryTime("current_time", "{}");

		StoredMessage answer = ask("loop forever");

		assertThat(answer.state()).isEqualTo(AnswerState.ANSWERED);
		assertThat(answer.text()).contains("stopped using tools after 2 rounds");
		// two rounds run, one told to answer now, then it is stopped
		assertThat(openai.requests()).hasSize(4);
		assertThat(openai.toolResults(openai.requests().get(3).json()).getLast().text()).contains("limit on tool use");
		assertThat(sink.of(ReplyEvent.ToolUsed.class)).hasSize(2);
	}

	@Test
	void theSearchToolFindsTheAskersOwnConversationsAndNobodyElses() {
		String mine = "kumquat" + UUID.randomUUID().toString().substring(0, 8);
		String theirs = "quince" + UUID.randomUUID().toString().substring(0, 8);
		ask("my " + mine + " marmalade needs more sugar");
		PlatformUserId someoneElse = new PlatformUserId("line", "U" + UUID.randomUUID());
		Received.Asked other = (Received.Asked) assistant.receive(InboundMessage.text(someoneElse, "Other",
				Place.direct("line"), "a private note about " + theirs + " and " + mine));
		assistant.answer(other.exchange().answerId(), "line", sink);

		openai.callToolNext("search_conversations", "{\"query\":\"" + mine + "\"}").reply("You said it needs sugar.");
		StoredMessage answer = ask("what did I say about " + mine + "?");

		assertThat(answer.text()).isEqualTo("You said it needs sugar.");
		String found = openai.toolResults(openai.requests().getLast().json()).getLast().text();
		assertThat(found).contains("marmalade needs more sugar").doesNotContain("private note");
		// the question being answered is not among its own results
		assertThat(found).doesNotContain("what did I say");

		openai.callToolNext("search_conversations", "{\"query\":\"" + theirs + "\"}").reply("Nothing there.");
		ask("and " + theirs.substring(0, 6) + "?");
		assertThat(openai.toolResults(openai.requests().getLast().json()).getLast().text())
			.startsWith("No message in the user's conversations");

		openai.callToolNext("search_conversations", "{\"limit\":3}").reply("Which words?");
		ask("search something");
		assertThat(openai.toolResults(openai.requests().getLast().json()).getLast())
			.satisfies(result -> assertThat(result.text()).isEqualTo("Give the words to look for as \"query\"."));
	}

	@Test
	void aModelWithoutToolSupportIsOfferedNone() {
		ask("hello");
		assertThat(openai.lastRequestJson().has("tools")).isTrue();
		assistant.receive(InboundMessage.text(me, "Tester", Place.direct("line"), "/session model plain"));

		ask("hello again");

		assertThat(openai.lastRequestJson().has("tools")).isFalse();
	}

}
