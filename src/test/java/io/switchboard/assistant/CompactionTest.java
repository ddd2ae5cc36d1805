package io.switchboard.assistant;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.conversation.TopicSummary;
import io.switchboard.fakes.FakeChatServer;
import io.switchboard.testsupport.RecordingSink;
import io.switchboard.usage.UsageLedger;
import io.switchboard.usage.UsagePurpose;
import io.switchboard.usage.UsageRow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Long conversations end to end against protocol-faithful fakes: a topic that passes its
 * model's context budget is compacted by the summary model (on a fake of its own), turns
 * send the system prompt, the summary and the latest messages word for word, the prompt's
 * start stays the same from turn to turn between compactions, a failing summary model
 * never fails a turn, cached input tokens are stored and priced, and a user's remembered
 * facts reach their turns (and nobody else's).
 */
@TestPropertySource(properties = { "switchboard.memory.max-facts=3", "switchboard.memory.max-fact-chars=60" })
class CompactionTest extends SummaryModelTest {

	static final String SUMMARY_MARK = "SUMMARY";

	@DynamicPropertySource
	static void prices(DynamicPropertyRegistry registry) {
		registry.add("switchboard.llm.models.smart.input-price", () -> "3");
		registry.add("switchboard.llm.models.smart.cached-input-price", () -> "0.30");
		registry.add("switchboard.llm.models.smart.output-price", () -> "15");
	}

	@Autowired
	UsageLedger usage;

	@BeforeEach
	void summariesFoldIntoOneLine() {
		// the summary model folds what it was given into one short line
		summaries.answerWith(text -> SUMMARY_MARK + ": the user asked "
				+ text.lines().filter(line -> line.startsWith("User: ")).count() + " more questions about the plan.");
	}

	Received ask(String text) {
		return ask(Place.direct("slack"), text);
	}

	String reply(String command) {
		ask(command);
		return sink.of(ReplyEvent.Notice.class).getFirst().reply().text();
	}

	Session session() {
		return conversations.currentSession(user(), Place.direct("slack")).orElseThrow();
	}

	/** The chat messages of a request, as role and text. */
	static List<String> messages(JsonNode request) {
		List<String> messages = new ArrayList<>();
		request.path("messages")
			.forEach(m -> messages.add(m.path("role").asText() + ": " + m.path("content").asText()));
		return messages;
	}

	@Test
	void aLongConversationIsCompactedAndTurnsSendTheSummaryAndTheLatestMessagesWordForWord() {
		for (int n = 1; n <= 40; n++) {
			ask(question(n));
			assertThat(sink.completed()).as("turn %d", n).isNotNull();
		}

		TopicSummary summary = conversations.summary(session().id(), session().currentTopic()).orElseThrow();
		assertThat(summary.text()).startsWith(SUMMARY_MARK);
		assertThat(summary.fromSeq()).isEqualTo(1);
		assertThat(summary.model()).isEqualTo("cheap");
		assertThat(summaries.requests()).isNotEmpty();
		assertThat(summaries.lastRequestJson().path("model").asText()).isEqualTo("gpt-4o-mini");
		// proposing facts to remember is off unless set: not asked for, none kept
		assertThat(summaries.lastRequestJson().toString()).doesNotContain("FACTS:");
		assertThat(conversations.factSuggestions(user().id())).isEmpty();

		List<String> last = messages(chat.lastRequestJson());
		assertThat(last.get(0)).startsWith("system: " + ContextAssembler.SUMMARY_HEADING + SUMMARY_MARK);
		// the latest 20 messages word for word, then the question
		// the last stored message is the answer to that question
		List<StoredMessage> stored = conversations.recentMessages(user().id(), session().id(), 22).subList(0, 21);
		List<String> expected = stored.stream()
			.map(m -> (m.role().name().equals("USER") ? "user: " : "assistant: ") + m.text())
			.toList();
		assertThat(last).endsWith(expected.toArray(String[]::new));
		assertThat(last.size() - 1).isGreaterThanOrEqualTo(21);
		assertThat(expected.getLast()).isEqualTo("user: " + question(40));

		// every request stayed within the budget (1,500 tokens, about 1,300 words)
		chat.requests()
			.forEach(request -> assertThat(String.join(" ", messages(request.json())).split("\\s+").length)
				.isLessThan(1_300));

		// summaries are in the ledger as what they are, on the summary model
		List<UsageRow> rows = usage.forUser(user().id().value(), LocalDate.now(ZoneOffset.UTC).minusDays(1),
				LocalDate.now(ZoneOffset.UTC).plusDays(1));
		assertThat(rows).anySatisfy(row -> {
			assertThat(row.model()).isEqualTo("cheap");
			assertThat(row.purpose()).isEqualTo(UsagePurpose.SUMMARY);
			assertThat(row.requests()).isEqualTo(summaries.requests().size());
		});
		assertThat(rows).anySatisfy(row -> {
			assertThat(row.model()).isEqualTo("smart");
			assertThat(row.purpose()).isEqualTo(UsagePurpose.CHAT);
			assertThat(row.requests()).isEqualTo(40);
		});

		// /session info shows the summary and where the word-for-word part begins
		assertThat(reply("/session info")).contains("Summary of messages 1-" + summary.throughSeq())
			.contains("word for word from message " + (summary.throughSeq() + 1))
			.contains(SUMMARY_MARK);
	}

	@Test
	void betweenCompactionsEachPromptStartsWithThePreviousOneWordForWord() {
		List<Integer> summaryCallsBefore = new ArrayList<>();
		for (int n = 1; n <= 45; n++) {
			summaryCallsBefore.add(summaries.requests().size());
			ask(question(n));
		}
		summaryCallsBefore.add(summaries.requests().size());
		int kept = 0;
		for (int i = 1; i < chat.requests().size(); i++) {
			boolean compacted = !summaryCallsBefore.get(i).equals(summaryCallsBefore.get(i + 1));
			if (compacted) {
				continue;
			}
			List<String> before = messages(chat.requests().get(i - 1).json());
			List<String> now = messages(chat.requests().get(i).json());
			assertThat(now.subList(0, before.size())).as("request %d repeats request %d", i + 1, i).isEqualTo(before);
			kept++;
		}
		// a compaction is rare: most turns only add to the prompt
		assertThat(summaries.requests().size()).isBetween(1, 6);
		assertThat(kept).isGreaterThan(35);
	}

	@Test
	void aFailingSummaryModelNeverFailsTheTurn() {
		summaries.failNext(1_000, FakeChatServer.Failure.SERVER_ERROR);
		for (int n = 1; n <= 40; n++) {
			ask(question(n));
			assertThat(sink.completed()).as("turn %d", n).isNotNull();
			assertThat(sink.of(ReplyEvent.AnswerFailed.class)).isEmpty();
		}
		assertThat(summaries.requests()).isNotEmpty();
		assertThat(conversations.summary(session().id(), session().currentTopic())).isEmpty();
		// the turn sent the newest messages that fit the budget, without a summary
		List<String> last = messages(chat.lastRequestJson());
		assertThat(last.getFirst()).startsWith("user: ");
		assertThat(last.getLast()).isEqualTo("user: " + question(40));
		assertThat(String.join(" ", last).split("\\s+").length).isLessThan(1_300);
	}

	@Test
	void compactOnDemandSummarisesAllButTheLatestMessages() {
		for (int n = 1; n <= 14; n++) {
			ask(question(n));
		}
		assertThat(summaries.requests()).isEmpty();

		assertThat(reply("/compact")).contains("Compacting session");

		TopicSummary summary = await().atMost(Duration.ofSeconds(20))
			.until(() -> conversations.summary(session().id(), session().currentTopic()), s -> s.isPresent())
			.orElseThrow();
		// 28 messages: the latest 20 stay, 8 are told by the summary
		assertThat(summary.throughSeq()).isEqualTo(8);
		ask(question(15));
		List<String> last = messages(chat.lastRequestJson());
		assertThat(last.getFirst()).startsWith("system: " + ContextAssembler.SUMMARY_HEADING);
		assertThat(last.get(1)).isEqualTo("user: " + question(5));
	}

	@Test
	void compactWithTooLittleToFoldChangesNothing() {
		ask(question(1));
		assertThat(reply("/compact")).contains("Compacting session");
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
		assertThat(summaries.requests()).isEmpty();
		assertThat(conversations.summary(session().id(), session().currentTopic())).isEmpty();
	}

	@Test
	void cachedInputTokensAreStoredWithTheAnswerAndPricedAtTheCachedPrice() {
		chat.usage(10_000, 100, 9_000);

		ask("What did we decide?");

		ReplyEvent.AnswerCompleted done = sink.completed();
		// 1,000 at $3/M + 9,000 at $0.30/M + 100 at $15/M
		long cost = 3_000_000 + 2_700_000 + 1_500_000;
		assertThat(done.costNanos()).isEqualTo(cost);
		assertThat(done.exchange().answer().answer().tokensCached()).isEqualTo(9_000);
		assertThat(conversations.message(done.exchange().answerId()).orElseThrow().answer().tokensCached())
			.isEqualTo(9_000);
		assertThat(usage.forUser(user().id().value(), LocalDate.now(ZoneOffset.UTC).minusDays(1),
				LocalDate.now(ZoneOffset.UTC).plusDays(1)))
			.singleElement()
			.satisfies(row -> {
				assertThat(row.tokensIn()).isEqualTo(10_000);
				assertThat(row.tokensCached()).isEqualTo(9_000);
				assertThat(row.costNanos()).isEqualTo(cost);
			});
	}

	@Test
	void rememberedFactsGoIntoTheUsersTurnsAndOnlyTheirs() {
		assertThat(reply("/remember I am vegetarian")).contains("Remembered (1): I am vegetarian");
		assertThat(reply("/remember My cat is called Miso")).contains("Remembered (2)");
		assertThat(reply("/memory")).contains("1. I am vegetarian").contains("2. My cat is called Miso");

		ask("What should I cook tonight?");
		String system = chat.systemPrompt(chat.lastRequestJson());
		assertThat(system).contains(ContextAssembler.MEMORY_HEADING)
			.contains("- I am vegetarian")
			.contains("- My cat is called Miso");

		// another user, in a session of their own, never sees them
		PlatformUserId other = new PlatformUserId("slack", "U" + UUID.randomUUID());
		assistant.receive(InboundMessage.text(other, "Other", Place.direct("slack"), "/user state active"));
		Received theirs = assistant.receive(InboundMessage.text(other, "Other", Place.direct("slack"), "Hello"));
		assistant.answer(((Received.Asked) theirs).exchange().answerId(), "slack", new RecordingSink());
		assertThat(chat.lastRequestJson().toString()).doesNotContain("vegetarian");

		assertThat(reply("/forget 1")).contains("Forgot: I am vegetarian");
		assertThat(reply("/memory")).contains("1. My cat is called Miso").doesNotContain("vegetarian");
		ask("And tomorrow?");
		assertThat(chat.systemPrompt(chat.lastRequestJson())).doesNotContain("vegetarian").contains("Miso");

		assertThat(reply("/forget all")).contains("Forget all 1 fact");
		assertThat(conversations.facts(user().id())).hasSize(1);
		assertThat(reply("/forget all confirm")).contains("Forgot all 1 fact");
		assertThat(conversations.facts(user().id())).isEmpty();
		assertThat(reply("/memory")).contains("You have no remembered facts");
	}

	@Test
	void badMemoryCommandsAreExplainedAndChangeNothing() {
		reply("/remember keep this one");
		assertThat(reply("/remember")).contains("Usage: `/remember <fact>`");
		assertThat(reply("/remember   ")).contains("Usage: `/remember <fact>`");
		assertThat(reply("/remember " + "x".repeat(61))).contains("at most 60 characters");
		assertThat(reply("/forget")).contains("Usage: `/forget <n | all>`");
		assertThat(reply("/forget two")).contains("Usage: `/forget <n | all>`");
		assertThat(reply("/forget 0")).contains("There is no fact 0");
		assertThat(reply("/forget 9")).contains("There is no fact 9").contains("1 to 1");
		assertThat(reply("/forget all maybe")).contains("Usage: `/forget <n | all>`");
		assertThat(reply("/forget all confirm")).contains("Nothing to confirm");
		reply("/remember two");
		reply("/remember three");
		assertThat(reply("/remember four")).contains("already keep 3 facts");
		assertThat(conversations.facts(user().id())).extracting(f -> f.text())
			.containsExactly("keep this one", "two", "three");
	}

}
