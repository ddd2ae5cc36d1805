package io.switchboard.history;

import java.util.List;

import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.User;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Search (and, by {@link ExportContract}, export) on every SQL database, the same results
 * from SQLite's FTS5 and PostgreSQL's full-text search: every word must match, in any
 * case; only the searcher's own sessions, from every platform; answers written later are
 * found; image hashes and part types are not text; query syntax in the words is just
 * text; bad searches are refused.
 */
abstract class HistoryContract extends ExportContract {

	@Autowired
	MessageSearch search;

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

}
