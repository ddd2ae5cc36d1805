package io.switchboard.tool;

import java.util.UUID;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.User;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tool servers a session's owner chose, kept the same on every store: each store's
 * test extends this and points the application at it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@ActiveProfiles("test")
abstract class ToolChoicesStorageContract {

	@Autowired
	ToolServerChoices choices;

	@Autowired
	Conversations conversations;

	Session newSession() {
		User user = conversations.identify(new PlatformUserId("line", UUID.randomUUID().toString()), "Tester");
		return conversations.createSession(user.id(), Place.direct("line"), "tools", true);
	}

	@Test
	void aSessionsChoicesAreKeptPerServerAndTheLastOneCounts() {
		Session session = newSession();
		Session other = newSession();
		assertThat(choices.choices(session.id())).isEmpty();

		choices.choose(session.id(), "weather", true);
		choices.choose(session.id(), "files", false);
		choices.choose(session.id(), "weather", false);
		choices.choose(other.id(), "weather", true);

		assertThat(choices.choices(session.id())).containsOnly(java.util.Map.entry("weather", false),
				java.util.Map.entry("files", false));
		assertThat(choices.choices(other.id())).containsOnly(java.util.Map.entry("weather", true));
	}

	@Test
	void choicesGoWithTheirSession() {
		Session session = newSession();
		choices.choose(session.id(), "weather", true);

		conversations.removeSession(session.owner(), session.id());

		assertThat(choices.choices(session.id())).isEmpty();
	}

}
