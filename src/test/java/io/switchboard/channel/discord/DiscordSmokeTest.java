package io.switchboard.channel.discord;

import java.time.Duration;
import java.util.Map;

import io.switchboard.fakes.FakeDiscord;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class DiscordSmokeTest {

	static final FakeDiscord discord = FakeDiscord.start();

	static final FakeOpenAi openai = FakeOpenAi.start();

	@DynamicPropertySource
	static void fakes(DynamicPropertyRegistry registry) {
		registry.add("switchboard.discord.token", () -> FakeDiscord.TOKEN);
		registry.add("switchboard.discord.rest-base-url", discord::restBaseUrl);
		registry.add("switchboard.discord.gateway-url", discord::gatewayUrl);
		registry.add("switchboard.discord.command-guilds", () -> Long.toString(FakeDiscord.GUILD_ID));
		registry.add("switchboard.discord.edit-interval", () -> "200ms");
		registry.add("switchboard.llm.providers.fake.type", () -> "openai");
		registry.add("switchboard.llm.providers.fake.base-url", () -> openai.baseUrl().toString());
		registry.add("switchboard.llm.models.gpt-test.provider", () -> "fake");
		registry.add("switchboard.llm.models.gpt-test.context-window", () -> "32000");
		registry.add("switchboard.llm.models.gpt-test.vision", () -> "true");
	}

	@Test
	void smoke() {
		discord.awaitReady(Duration.ofSeconds(20));
		FakeDiscord.waitFor(Duration.ofSeconds(10), () -> !discord.guildCommands(FakeDiscord.GUILD_ID).isEmpty(),
				"commands");
		FakeDiscord.User alice = discord.user("alice");
		FakeDiscord.FakeMessage question = discord.say(alice, FakeDiscord.CHANNEL_ID, "hello there");
		FakeDiscord.waitFor(Duration.ofSeconds(10), () -> question.reactions().contains("👌"), "done");
		System.out.println("REPLIES " + discord.repliesTo(question));
		System.out.println("REACTIONS " + question.reactionLog());
		FakeDiscord.Interaction panel = discord.slash(alice, FakeDiscord.CHANNEL_ID, "user", Map.of());
		FakeDiscord.FakeMessage p = panel.awaitOriginal(Duration.ofSeconds(10));
		System.out.println("PANEL " + p + " " + p.rows() + " ack " + panel.acknowledgedAfter());
		FakeDiscord.Interaction t = discord.click(alice, p, "u:showpublic");
		t.awaitAcknowledged(Duration.ofSeconds(5));
		FakeDiscord.waitFor(Duration.ofSeconds(5), () -> p.history().size() > 2, "edit");
		System.out.println("PANEL2 " + p.history());
		FakeDiscord.Interaction dm = discord.slash(alice, alice.dmChannelId(), "session", Map.of("name", "Renamed"));
		System.out.println("SESSION " + dm.awaitOriginal(Duration.ofSeconds(10)));
		FakeDiscord.FakeMessage q2 = discord.sayInDm(alice, "in dm");
		FakeDiscord.waitFor(Duration.ofSeconds(10), () -> q2.reactions().contains("👌"), "done dm");
		System.out.println("DM " + discord.repliesTo(q2));
	}

}
