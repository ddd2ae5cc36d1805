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
 * Export on every store (SQLite, PostgreSQL, DynamoDB): a session or everything, as
 * Markdown and JSONL, read through the conversation module's storage port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@ActiveProfiles("test")
abstract class ExportContract {

	@Autowired
	Conversations conversations;

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

	@Test
	void aSessionLongerThanOnePageIsExportedWholeInOrder() {
		User ada = user("Ada");
		Exchange first = chat(ada, Place.web(), null, "message 0", "answer 0");
		for (int i = 1; i < 260; i++) {
			chat(ada, Place.web(), first.session(), "message " + i, "answer " + i);
		}
		conversations.startNewTopic(ada.id(), first.session().id());
		chat(ada, Place.web(), first.session(), "in the second topic", "its answer");

		StringWriter jsonl = new StringWriter();
		export.session(ada.id(), first.session().id(), HistoryExport.Format.JSONL, jsonl);

		List<String> texts = jsonl.toString().lines().map(line -> {
			try {
				return json.readTree(line).path("text").asText();
			}
			catch (Exception bad) {
				throw new AssertionError(line, bad);
			}
		}).toList();
		assertThat(texts).hasSize(522);
		assertThat(texts.subList(0, 4)).containsExactly("message 0", "answer 0", "message 1", "answer 1");
		assertThat(texts.subList(518, 522)).containsExactly("message 259", "answer 259", "in the second topic",
				"its answer");
	}

}
