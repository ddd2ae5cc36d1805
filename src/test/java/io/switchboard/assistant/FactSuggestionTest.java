package io.switchboard.assistant;

import java.util.List;
import java.util.UUID;

import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.testsupport.WebSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code switchboard.memory.suggest} on, compaction also proposes facts about the
 * user: the turn that compacted shows each with a Remember and a Don't button, nothing
 * goes into the memory until the user confirms, a declined or answered proposal is gone,
 * {@code /memory} lists what waits, and a public session's messages propose nothing.
 */
@TestPropertySource(properties = "switchboard.memory.suggest=true")
class FactSuggestionTest extends SummaryModelTest {

	@org.springframework.boot.test.web.server.LocalServerPort
	int port;

	@BeforeEach
	void summariesProposeTwoFacts() {
		// the summary, then the facts it proposes, as the instructions ask
		summaries.answerWith(text -> """
				SUMMARY: the user planned a migration.
				FACTS:
				- I am vegetarian
				- I live in Lyon
				""");
	}

	Reply reply(String command) {
		ask(Place.direct("slack"), command);
		return sink.of(ReplyEvent.Notice.class).getFirst().reply();
	}

	/** Asks until a turn compacts; returns the proposals that turn showed. */
	List<Reply> chatUntilCompacted(Place place) {
		for (int n = 1; n <= 40; n++) {
			ask(place, question(n));
			assertThat(sink.completed()).as("turn %d", n).isNotNull();
			List<Reply> shown = sink.of(ReplyEvent.Notice.class).stream().map(ReplyEvent.Notice::reply).toList();
			if (!summaries.requests().isEmpty()) {
				return shown;
			}
		}
		throw new AssertionError("no compaction in 40 turns");
	}

	@Test
	void compactionProposesFactsThatOnlyTheUsersConfirmationRemembers() {
		List<Reply> proposals = chatUntilCompacted(Place.direct("slack"));

		// the summary model was asked for facts, and its facts are not in the summary
		assertThat(summaries.lastRequestJson().toString()).contains("FACTS:");
		var session = conversations.currentSession(user(), Place.direct("slack")).orElseThrow();
		assertThat(conversations.summary(session.id(), session.currentTopic()).orElseThrow().text())
			.isEqualTo("SUMMARY: the user planned a migration.");
		// each proposal with its buttons, and nothing remembered yet
		assertThat(proposals).hasSize(2);
		assertThat(proposals.get(0).text()).contains("Remember this about you?").contains("I am vegetarian");
		assertThat(proposals.get(1).text()).contains("I live in Lyon");
		assertThat(proposals.get(0).actions()).extracting(Reply.Action::label)
			.containsExactly("Remember", "Don't remember");
		assertThat(conversations.facts(user().id())).isEmpty();
		assertThat(reply("/memory").text()).contains("Proposed to remember")
			.contains("a) I am vegetarian")
			.contains("b) I live in Lyon")
			.contains("no remembered facts yet");

		// confirmed: remembered, and in the next turn's system prompt
		String confirm = proposals.get(0).actions().get(0).command();
		assertThat(reply(confirm).text()).startsWith("Remembered (1): I am vegetarian");
		assertThat(conversations.facts(user().id())).extracting(io.switchboard.conversation.Fact::text)
			.containsExactly("I am vegetarian");
		assertThat(reply(confirm).text()).contains("not waiting any more");
		assertThat(conversations.facts(user().id())).hasSize(1);

		// declined: gone, never remembered
		String decline = proposals.get(1).actions().get(1).command();
		assertThat(reply(decline).text()).isEqualTo("Not remembered.");
		assertThat(reply(decline).text()).contains("not waiting any more");
		assertThat(conversations.factSuggestions(user().id())).isEmpty();

		// a made-up code changes nothing
		assertThat(reply("/remember suggested nothing confirm").text()).contains("not waiting any more");
		assertThat(conversations.facts(user().id())).hasSize(1);

		chat.reset();
		ask(Place.direct("slack"), "And now?");
		String system = chat.lastRequestJson().path("messages").get(0).path("content").asText();
		assertThat(system).contains("I am vegetarian").doesNotContain("Lyon");

		// proposed again later: what is remembered or waiting is not proposed twice
		assertThat(conversations.suggestFacts(user().id(), List.of("I am vegetarian", "I have a cat", "I have a cat")))
			.extracting(io.switchboard.conversation.FactSuggestion::text)
			.containsExactly("I have a cat");
	}

	@Test
	void theWebPageShowsTheProposalsWithTheirButtonsWhileTheAnswerIsWritten() {
		WebSession web = new WebSession(port);
		if (web.get("/login").headers().firstValue("Location").orElse("").endsWith("/setup")) {
			web.get("/setup");
			web.postForm("/setup", java.util.Map.of("username", "grace", "displayName", "Grace", "password",
					"suggest-password", "passwordAgain", "suggest-password"));
		}
		else {
			web.signIn("grace", "suggest-password");
		}
		// the chat page, for its CSRF token
		assertThat(web.get("/").statusCode()).isEqualTo(200);
		String events = "";
		String session = null;
		for (int n = 1; n <= 40 && summaries.requests().isEmpty(); n++) {
			// the page names its session: a message without one starts a new chat
			java.util.Map<String, String> fields = session == null ? java.util.Map.of("text", question(n))
					: java.util.Map.of("text", question(n), "sessionId", session);
			var sent = web.postMultipart("/chat/messages", fields, null, null, null);
			assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
			events = sent.body();
			java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"sessionId\":(\\d+)").matcher(events);
			if (session == null && id.find()) {
				session = id.group(1);
			}
		}
		assertThat(summaries.requests()).as("a compaction").isNotEmpty();
		// on the page's stream, after the answer started and before it is done
		assertThat(events).contains("event:notice").contains("Remember this about you?").contains("I am vegetarian");
		assertThat(events).contains("/remember suggested ").contains("\"label\":\"Don't remember\"");
		assertThat(events.indexOf("event:started")).isLessThan(events.indexOf("event:notice"));
		assertThat(events.indexOf("event:notice")).isLessThan(events.indexOf("event:done"));

		// the page loaded again shows what waits, with its buttons, until it is answered
		// (here as another platform's button would answer it)
		String page = web.get("/sessions/" + session).body();
		assertThat(page).contains("Remember this about you?").contains("I am vegetarian").contains("I live in Lyon");
		var grace = conversations.findUser(new PlatformUserId("web", "grace")).orElseThrow().id();
		var waiting = conversations.factSuggestions(grace);
		assertThat(waiting).hasSize(2);
		assertThat(page).contains("data-command=\"/remember suggested " + waiting.get(0).code() + " confirm\"");
		assertThat(conversations.acceptSuggestion(grace, waiting.get(0).code())).isPresent();
		assertThat(conversations.declineSuggestion(grace, waiting.get(1).code())).isTrue();
		assertThat(web.get("/sessions/" + session).body()).doesNotContain("Remember this about you?")
			.doesNotContain("/remember suggested");
	}

	@Test
	void aPublicSessionProposesNothing() {
		Place group = Place.group("slack", "G" + UUID.randomUUID());
		List<Reply> proposals = chatUntilCompacted(group);
		assertThat(proposals).isEmpty();
		assertThat(summaries.lastRequestJson().toString()).doesNotContain("FACTS:");
		assertThat(conversations.factSuggestions(user().id())).isEmpty();
	}

}
