package io.switchboard.assistant;

import java.util.UUID;

import io.switchboard.conversation.AnswerState;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.RecordingSink;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * What the tests of compaction share, so that each keeps only its own settings and
 * answers: the chat model {@code smart} with a budget of 1,500 tokens, so that a few
 * dozen questions compact, and the summary model {@code cheap} on a fake server of its
 * own, so that a test tells summaries from turns by where they were asked; one try each,
 * so that a failure shows at once; and a person asking in a chat of their own.
 */
@IntegrationTest
@TestPropertySource(properties = { "switchboard.llm.retry.max-attempts=1",
		"switchboard.assistant.compaction.model=cheap", "switchboard.assistant.compaction.summary-max-tokens=100" })
abstract class SummaryModelTest {

	// shared by every test class here (and their PostgreSQL twins), which may still hold
	// a cached server on them, so left open for the JVM's life; reset before each test
	static final FakeOpenAi chat = FakeOpenAi.start("sk-chat");

	static final FakeOpenAi summaries = FakeOpenAi.start("sk-summaries");

	@DynamicPropertySource
	static void chatAndSummaryModels(DynamicPropertyRegistry registry) {
		registry.add("switchboard.llm.providers.chat.type", () -> "openai");
		registry.add("switchboard.llm.providers.chat.base-url", () -> chat.baseUrl().toString());
		registry.add("switchboard.llm.providers.chat.api-key", chat::apiKey);
		registry.add("switchboard.llm.providers.cheap.type", () -> "openai");
		registry.add("switchboard.llm.providers.cheap.base-url", () -> summaries.baseUrl().toString());
		registry.add("switchboard.llm.providers.cheap.api-key", summaries::apiKey);
		registry.add("switchboard.llm.default-model", () -> "smart");
		registry.add("switchboard.llm.models.smart.provider", () -> "chat");
		registry.add("switchboard.llm.models.smart.upstream-model", () -> "gpt-4o");
		registry.add("switchboard.llm.models.smart.context-window", () -> "128000");
		registry.add("switchboard.llm.models.smart.max-output-tokens", () -> "200");
		registry.add("switchboard.llm.models.smart.context-budget", () -> "1500");
		registry.add("switchboard.llm.models.cheap.provider", () -> "cheap");
		registry.add("switchboard.llm.models.cheap.upstream-model", () -> "gpt-4o-mini");
		registry.add("switchboard.llm.models.cheap.context-window", () -> "128000");
		registry.add("switchboard.llm.models.cheap.max-output-tokens", () -> "500");
	}

	@Autowired
	Assistant assistant;

	@Autowired
	Conversations conversations;

	final PlatformUserId me = new PlatformUserId("slack", "U" + UUID.randomUUID());

	/** What the last {@link #ask} showed. */
	final RecordingSink sink = new RecordingSink();

	/**
	 * Runs before a subclass's own {@code @BeforeEach}, which says how summaries read.
	 */
	@BeforeEach
	void resetFakes() {
		chat.reset();
		summaries.reset();
	}

	/** A question of about 30 tokens. */
	static String question(int n) {
		return "Question " + n + ": please tell me something about the migration plan, the rollout, "
				+ "the risks we listed and the review next Monday.";
	}

	/** Sends a message as Slack would and, when it is a question, answers it at once. */
	Received ask(Place place, String text) {
		sink.clear();
		Received received = assistant.receive(InboundMessage.text(me, "Tester", place, text));
		if (received instanceof Received.Replied replied) {
			replied.replies().forEach(reply -> sink.accept(new ReplyEvent.Notice(reply)));
		}
		if (received instanceof Received.Asked asked && asked.exchange().answer().state() == AnswerState.PENDING) {
			assistant.answer(asked.exchange().answerId(), "slack", sink);
		}
		return received;
	}

	User user() {
		return conversations.findUser(me).orElseThrow();
	}

}
