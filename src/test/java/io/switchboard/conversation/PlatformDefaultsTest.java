package io.switchboard.conversation;

import java.nio.file.Path;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Received;
import io.switchboard.testsupport.StandaloneApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a person starts depends on the platform they first write on: Discord's bot stays
 * quiet until they turn it on, with attach off and short answers; elsewhere people are
 * answered from their first message. Each platform's start is settable, setting by
 * setting, and a bad setting stops start-up naming it.
 */
class PlatformDefaultsTest {

	@TempDir
	Path data;

	@Test
	void onDiscordPeopleStartDisabledWithAttachOffAndShortAnswersAndElsewhereAnsweredAtOnce() {
		try (ConfigurableApplicationContext server = StandaloneApplication.start(data.resolve("switchboard.db"))) {
			Conversations conversations = server.getBean(Conversations.class);
			Assistant assistant = server.getBean(Assistant.class);

			PlatformUserId onDiscord = new PlatformUserId("discord", "1001");
			User discord = conversations.identify(onDiscord, "dana");
			assertThat(discord.state()).isEqualTo(UserState.DISABLED);
			assertThat(discord.attachNewSessions()).isFalse();
			assertThat(discord.maxOutputTokens()).isEqualTo(500);
			for (String platform : new String[] { "line", "slack", "web" }) {
				User elsewhere = conversations.identify(new PlatformUserId(platform, "U1001"), "lee");
				assertThat(elsewhere.state()).as(platform).isEqualTo(UserState.NEW);
				assertThat(elsewhere.attachNewSessions()).as(platform).isTrue();
				assertThat(elsewhere.maxOutputTokens()).as(platform).isNull();
			}

			// quiet in a server channel, a hint in a DM, and nothing stored either way
			Received inChannel = assistant
				.receive(InboundMessage.text(onDiscord, "dana", Place.group("discord", "42"), "hello?"));
			assertThat(inChannel).isInstanceOfSatisfying(Received.Replied.class,
					replied -> assertThat(replied.replies()).isEmpty());
			Received inDm = assistant.receive(InboundMessage.text(onDiscord, "dana", Place.direct("discord"), "hi"));
			assertThat(inDm).isInstanceOfSatisfying(Received.Replied.class, replied -> assertThat(replied.replies())
				.singleElement()
				.satisfies(
						reply -> assertThat(reply.text()).contains("paused", "/user state new", "/user state active")));
			assertThat(conversations.sessionsFor(conversations.user(discord.id()), 10, 0)).isEmpty();

			// turned on with `new`: every message starts its own session (attach is off)
			assistant.receive(InboundMessage.text(onDiscord, "dana", Place.direct("discord"), "/user state new"));
			Received first = assistant
				.receive(InboundMessage.text(onDiscord, "dana", Place.direct("discord"), "first question"));
			Received second = assistant
				.receive(InboundMessage.text(onDiscord, "dana", Place.direct("discord"), "second question"));
			assertThat(first).isInstanceOf(Received.Asked.class);
			assertThat(second).isInstanceOf(Received.Asked.class);
			assertThat(((Received.Asked) first).exchange().session().id())
				.isNotEqualTo(((Received.Asked) second).exchange().session().id());
			assertThat(conversations.user(discord.id()).state()).isEqualTo(UserState.NEW);
		}
	}

	@Test
	void eachPlatformsSettingsOverrideItsStartOneByOne() {
		try (ConfigurableApplicationContext server = StandaloneApplication.start(data.resolve("switchboard.db"),
				"switchboard.conversation.platforms.discord.initial-state=new",
				"switchboard.conversation.platforms.line.max-output-tokens=800",
				"switchboard.conversation.attach-new-sessions=false")) {
			Conversations conversations = server.getBean(Conversations.class);

			// Discord keeps its attach and answer length, only its state was changed
			User discord = conversations.identify(new PlatformUserId("discord", "2002"), "dana");
			assertThat(discord.state()).isEqualTo(UserState.NEW);
			assertThat(discord.attachNewSessions()).isFalse();
			assertThat(discord.maxOutputTokens()).isEqualTo(500);
			User line = conversations.identify(new PlatformUserId("line", "U2002"), "lee");
			assertThat(line.state()).isEqualTo(UserState.NEW);
			assertThat(line.attachNewSessions()).isFalse();
			assertThat(line.maxOutputTokens()).isEqualTo(800);
			User slack = conversations.identify(new PlatformUserId("slack", "U2002"), "sam");
			assertThat(slack.attachNewSessions()).isFalse();
			assertThat(slack.maxOutputTokens()).isNull();
		}
	}

	@Test
	void anUnknownPlatformStopsStartUpNamingItAndThePlatforms() {
		assertThatThrownBy(() -> start("switchboard.conversation.platforms.discrod.initial-state=new"))
			.satisfies(failure -> assertThat(StandaloneApplication.messages(failure))
				.contains("switchboard.conversation.platforms.discrod")
				.contains("discord, line, slack, web"));
	}

	@Test
	void anAnswerLengthOutOfRangeStopsStartUpNamingIt() {
		assertThatThrownBy(() -> start("switchboard.conversation.platforms.discord.max-output-tokens=5")).satisfies(
				failure -> assertThat(StandaloneApplication.messages(failure)).contains("switchboard.conversation")
					.contains("maxOutputTokens"));
	}

	@Test
	void anUnknownStateStopsStartUpNamingIt() {
		assertThatThrownBy(() -> start("switchboard.conversation.platforms.line.initial-state=sleepy"))
			.satisfies(failure -> assertThat(StandaloneApplication.messages(failure))
				.contains("switchboard.conversation.platforms.line.initial-state"));
	}

	private void start(String... settings) {
		StandaloneApplication.start(data.resolve("refused.db"), settings).close();
	}

}
