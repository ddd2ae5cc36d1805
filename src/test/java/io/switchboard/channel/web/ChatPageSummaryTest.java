package io.switchboard.channel.web;

import java.util.List;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.SessionChoice;
import io.switchboard.conversation.User;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.WebSession;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page shows a compacted conversation's running summary above its messages:
 * which messages it tells and where the word-for-word part begins; a conversation never
 * compacted shows none.
 */
@IntegrationTest
class ChatPageSummaryTest {

	@LocalServerPort
	int port;

	@Autowired
	WebAccounts accounts;

	@Autowired
	Conversations conversations;

	@Test
	void aCompactedSessionShowsItsSummaryAndWhereTheWordForWordPartBegins() {
		if (accounts.needsSetup()) {
			accounts.createFirstAdmin("grace", "Grace", "summary-password");
		}
		WebSession page = new WebSession(port);
		assertThat(page.signIn("grace", "summary-password")).endsWith("/");
		User grace = conversations.findUser(new PlatformUserId(WebAccounts.PLATFORM, "grace")).orElseThrow();
		Session session = conversations.createSession(grace.id(), Place.web(), "Long one", true);
		for (int i = 0; i < 3; i++) {
			conversations.ask(grace, new SessionChoice.Existing(session), List.of(new MessagePart.Text("Q" + i)), 5,
					null);
		}

		String before = page.get("/sessions/" + session.id().value()).body();
		assertThat(before).doesNotContain("id=\"summary\"");

		conversations.saveSummary(session.id(), session.currentTopic(), 1, 4, "We planned the <b>rollout</b>.", 12,
				"cheap", 2);
		String after = page.get("/sessions/" + session.id().value()).body();
		assertThat(after).contains("id=\"summary\"")
			.contains("Summary of messages <span>1</span>–<span>4</span>")
			.contains("word for word from message <span>5</span>")
			.contains("2</span> <span>compactions")
			// escaped like every other text on the page
			.contains("We planned the &lt;b&gt;rollout&lt;/b&gt;.");
	}

}
