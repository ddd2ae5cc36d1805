package io.switchboard.history;

import java.io.StringWriter;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.conversation.AnswerRecord;
import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserRole;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Search and export on every supported database, the same results from SQLite's FTS5 and
 * PostgreSQL's full-text search: every word must match, in any case; only the searcher's
 * own sessions, from every platform; answers written later are found; image hashes and
 * part types are not text; query syntax in the words is just text; bad searches are
 * refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@ActiveProfiles("test")
abstract class HistoryContract {

	@Autowired
	Conversations conversations;

	@Autowired
	MessageSearch search;

	@Autowired
	HistoryExport export;

	@Autowired
	ObjectMapper json;

	User user(String name) {
		return conversations.createUser(new PlatformUserId("test", UUID.randomUUID().toString()), name,
				UserRole.MEMBER);
	}

	Exchange chat(User user, Place place, Session session, String question, String answer) {
		Exchange asked = conversations.ask(user,
				conversations.chooseSession(user, place, session == null ? null : session.id(), question),
				List.of(new MessagePart.Text(question)), 5, null);
		if (answer != null) {
			conversations.answer(asked.answerId(), answer, 5,
					new AnswerRecord("gpt-test", "fake", 5, 5, 0, 10, 0, "stop"));
		}
		return asked;
	}

	@Test
	void findsEveryWordAcrossPlatformsInTheSearchersOwnSessionsOnly() {
		User ada = user("Ada");
		User bob = user("Bob");
		Exchange web = chat(ada, Place.web(), null, "How do I brew green TEA properly?", "Use water at 80 degrees.");
		Exchange line = chat(ada, Place.direct("line"), null, "Recipe for a tea cake", "Flour, butter and matcha tea.");
		chat(ada, Place.web(), web.session(), "And coffee?", "Coffee wants 93 degrees.");
		chat(bob, Place.web(), null, "Bob's tea question", "Bob's tea answer");

		List<SearchHit> tea = search.search(ada.id(), "tea", 20, 0);
		assertThat(tea).extracting(SearchHit::messageId)
			.contains(web.question().id(), line.question().id(), line.answer().id())
			.doesNotContain(web.answer().id());
		assertThat(tea).allSatisfy(hit -> assertThat(hit.sessionTitle()).doesNotContain("Bob"));
		assertThat(tea).extracting(SearchHit::platform).contains("web", "line");

		// every word must match; case does not matter; the answer (written after the
		// question was stored) is found too
		assertThat(search.search(ada.id(), "TEA cake", 20, 0)).extracting(SearchHit::messageId)
			.containsExactly(line.question().id());
		assertThat(search.search(ada.id(), "80 degrees", 20, 0)).extracting(SearchHit::messageId)
			.containsExactly(web.answer().id());
		SearchHit hit = search.search(ada.id(), "matcha", 20, 0).getFirst();
		assertThat(hit.role()).isEqualTo("assistant");
		assertThat(hit.session()).isEqualTo(line.session().id());
		assertThat(hit.snippetHtml()).contains("<mark>matcha</mark>");
		assertThat(hit.snippetMarkdown()).contains("**matcha**");
		assertThat(search.search(ada.id(), "nothing-like-this", 20, 0)).isEmpty();
		assertThat(search.search(bob.id(), "matcha", 20, 0)).isEmpty();
	}

	@Test
	void queryWordsAreTextNeverSyntaxAndSnippetsAreEscaped() {
		User ada = user("Ada");
		Exchange tags = chat(ada, Place.web(), null, "What does <b>bold</b> OR \"quotes\" do?", null);
		assertThat(search.search(ada.id(), "\"quotes\" OR", 20, 0)).extracting(SearchHit::messageId)
			.containsExactly(tags.question().id());
		// markup in a message is never markup in a snippet (PostgreSQL's headline leaves
		// tags
		// out, SQLite's snippet keeps them as text; both are escaped)
		assertThat(search.search(ada.id(), "bold*", 20, 0).getFirst().snippetHtml()).contains("<mark>bold</mark>")
			.doesNotContain("<b>");
		assertThat(search.search(ada.id(), "NEAR(a b) -x ' ; DROP TABLE messages", 20, 0)).isEmpty();
		assertThat(search.search(ada.id(), "bold", 20, 0)).hasSize(1);
	}

	@Test
	void imagePartsAreNotTextAndRemovedSessionsAreGone() {
		User ada = user("Ada");
		String sha = "ab".repeat(32);
		Exchange photo = conversations.ask(ada, conversations.chooseSession(ada, Place.web(), null, "a photo"),
				List.of(new MessagePart.Image(sha, "image/png", 4, 4), new MessagePart.Text("my garden photo")), 5,
				null);
		assertThat(search.search(ada.id(), sha, 20, 0)).isEmpty();
		assertThat(search.search(ada.id(), "image", 20, 0)).isEmpty();
		assertThat(search.search(ada.id(), "garden", 20, 0)).hasSize(1);
		conversations.removeSession(ada.id(), photo.session().id());
		assertThat(search.search(ada.id(), "garden", 20, 0)).isEmpty();
	}

	@Test
	void badSearchesAreRefused() {
		User ada = user("Ada");
		assertThatThrownBy(() -> search.search(ada.id(), "  ", 20, 0)).isInstanceOf(MessageSearch.BadSearch.class)
			.hasMessageContaining("what to look for");
		assertThatThrownBy(() -> search.search(ada.id(), "x".repeat(201), 20, 0))
			.isInstanceOf(MessageSearch.BadSearch.class)
			.hasMessageContaining("200 characters");
		assertThatThrownBy(() -> search.search(ada.id(), "a ".repeat(21), 20, 0))
			.isInstanceOf(MessageSearch.BadSearch.class)
			.hasMessageContaining("20 words");
		assertThatThrownBy(() -> search.search(ada.id(), "?!", 20, 0)).isInstanceOf(MessageSearch.BadSearch.class);
	}

	@Test
	void exportsASessionOrEverythingAsMarkdownAndJsonl() throws Exception {
		User ada = user("Ada");
		User bob = user("Bob");
		Exchange first = chat(ada, Place.web(), null, "First question", "First answer");
		chat(ada, Place.web(), first.session(), "Second question", "Second **answer**");
		Exchange other = chat(ada, Place.direct("discord"), null, "Discord question", null);

		StringWriter markdown = new StringWriter();
		export.session(ada.id(), first.session().id(), HistoryExport.Format.MARKDOWN, markdown);
		assertThat(markdown.toString()).startsWith("# First question")
			.contains("**You**", "First question", "**Assistant (gpt-test)**", "Second **answer**")
			.doesNotContain("Discord question");
		assertThat(markdown.toString().indexOf("First answer"))
			.isLessThan(markdown.toString().indexOf("Second question"));

		StringWriter jsonl = new StringWriter();
		export.everything(ada.id(), HistoryExport.Format.JSONL, jsonl);
		List<JsonNode> lines = jsonl.toString().lines().map(line -> {
			try {
				return json.readTree(line);
			}
			catch (Exception bad) {
				throw new AssertionError(line, bad);
			}
		}).toList();
		assertThat(lines).hasSize(6);
		assertThat(lines).extracting(line -> line.path("platform").asText()).contains("web", "discord");
		JsonNode answer = lines.stream()
			.filter(line -> line.path("text").asText().equals("First answer"))
			.findFirst()
			.orElseThrow();
		assertThat(answer.path("role").asText()).isEqualTo("assistant");
		assertThat(answer.path("model").asText()).isEqualTo("gpt-test");
		assertThat(answer.path("session_id").asLong()).isEqualTo(first.session().id().value());
		assertThat(lines).anySatisfy(line -> assertThat(line.path("state").asText()).isEqualTo("pending"));
		assertThat(other.session().id()).isNotEqualTo(first.session().id());

		// someone else's private session is not theirs to export
		assertThatThrownBy(
				() -> export.session(bob.id(), first.session().id(), HistoryExport.Format.MARKDOWN, new StringWriter()))
			.isInstanceOf(ConversationException.NotFound.class);
		StringWriter nothing = new StringWriter();
		export.everything(bob.id(), HistoryExport.Format.JSONL, nothing);
		assertThat(nothing.toString()).isEmpty();
		assertThatThrownBy(() -> HistoryExport.Format.named("pdf")).isInstanceOf(IllegalArgumentException.class);
	}

}
