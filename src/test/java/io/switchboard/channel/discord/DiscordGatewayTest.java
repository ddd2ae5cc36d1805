package io.switchboard.channel.discord;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

import io.switchboard.fakes.FakeDiscord;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static io.switchboard.fakes.FakeDiscord.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway runs once per shard across nodes: two nodes share a database and the fake
 * Discord, and only the lease holder connects; when it stops or loses its lease, the
 * other takes over. Also: the commands registered globally when no servers are
 * configured, and nothing connects without a token.
 */
class DiscordGatewayTest {

	static final Duration TTL = Duration.ofSeconds(30);

	static final Duration WAIT = Duration.ofSeconds(20);

	final FakeDiscord discord = FakeDiscord.start();

	final DataSource database = TestDatabases.sqlite();

	final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

	final GatewayLeases leases = new GatewayLeases(JdbcClient.create(database), clock);

	DiscordGateway nodeA;

	DiscordGateway nodeB;

	@AfterEach
	void stop() {
		for (DiscordGateway node : new DiscordGateway[] { nodeA, nodeB }) {
			if (node != null) {
				node.stop();
			}
		}
		discord.close();
	}

	DiscordProperties properties(String token, List<String> guilds) {
		// renewals are driven by hand (tick), so the scheduled ones are an hour apart
		return new DiscordProperties(token, guilds, 1, Duration.ofSeconds(1), TTL, Duration.ofHours(1),
				URI.create(discord.restBaseUrl()), URI.create(discord.gatewayUrl()), Duration.ofSeconds(1));
	}

	DiscordGateway node(String token, ListenerAdapter listener) {
		return new DiscordGateway(properties(token, List.of()), leases, new ShardFences(leases), listener, clock);
	}

	@Test
	void onlyTheLeaseHolderConnectsAndAnotherNodeTakesOverWhenItStops() {
		nodeA = node(FakeDiscord.TOKEN, new ListenerAdapter() {
		});
		nodeB = node(FakeDiscord.TOKEN, new ListenerAdapter() {
		});
		nodeA.start();
		discord.awaitReady(WAIT);
		nodeB.start();
		nodeB.tick();
		assertThat(nodeA.connected()).hasSize(1);
		assertThat(nodeB.connected()).isEmpty();
		assertThat(leases.holder(0)).contains(nodeA.holder());
		assertThat(discord.identifies()).hasSize(1);

		nodeA.stop();
		waitFor(WAIT, () -> discord.readyConnections() == 0, "node A to disconnect");
		assertThat(leases.holder(0)).isEmpty();
		nodeB.tick();
		waitFor(WAIT, () -> discord.readyConnections() == 1, "node B to connect");
		assertThat(nodeB.connected()).hasSize(1);
		assertThat(leases.holder(0)).contains(nodeB.holder());
		assertThat(discord.identifies()).hasSize(2);
	}

	@Test
	void aNodeThatLostItsLeaseDisconnectsAtItsNextTick() {
		nodeA = node(FakeDiscord.TOKEN, new ListenerAdapter() {
		});
		nodeB = node(FakeDiscord.TOKEN, new ListenerAdapter() {
		});
		nodeA.start();
		discord.awaitReady(WAIT);
		nodeB.start();

		// node A stalls (a long pause, a lost database connection) past its lease
		clock.advance(TTL.plusSeconds(1));
		nodeB.tick();
		assertThat(leases.holder(0)).contains(nodeB.holder());
		waitFor(WAIT, () -> discord.readyConnections() == 2, "node B to connect");

		nodeA.tick();
		assertThat(nodeA.connected()).isEmpty();
		waitFor(WAIT, () -> discord.readyConnections() == 1, "node A to disconnect");
		assertThat(nodeB.connected()).hasSize(1);
	}

	@Test
	void heartbeatsAreAcknowledgedAndADroppedConnectionIsResumed() {
		discord.heartbeatInterval(Duration.ofMillis(300));
		nodeA = node(FakeDiscord.TOKEN, new ListenerAdapter() {
		});
		nodeA.start();
		discord.awaitReady(WAIT);
		// unanswered heartbeats would make JDA reconnect after two of them
		waitFor(WAIT, () -> discord.heartbeats() >= 5, "five heartbeats");
		assertThat(discord.identifies()).hasSize(1);
		assertThat(discord.resumes()).isZero();
		assertThat(nodeA.connected().getFirst().getGatewayPing()).isGreaterThanOrEqualTo(0);

		discord.dropConnections();
		waitFor(WAIT, () -> discord.resumes() == 1 && discord.readyConnections() == 1, "the session resumed");
		assertThat(discord.identifies()).as("resumed, not identified again").hasSize(1);
		waitFor(WAIT, () -> nodeA.connected().getFirst().getStatus() == net.dv8tion.jda.api.JDA.Status.CONNECTED,
				"JDA connected again");
	}

	@Test
	void commandsAreRegisteredGloballyWhenNoServersAreConfigured() {
		SlashCommands commands = new SlashCommands(properties(FakeDiscord.TOKEN, List.of()));
		nodeA = node(FakeDiscord.TOKEN, new ListenerAdapter() {
			@Override
			public void onReady(ReadyEvent event) {
				commands.register(event.getJDA());
			}
		});
		nodeA.start();
		waitFor(WAIT, () -> !discord.globalCommands().isEmpty(), "global commands");
		assertThat(discord.globalCommands()).extracting(command -> command.path("name").asText())
			.containsExactlyInAnyOrder("user", "session", "imagine", "comic", "Session info");
		assertThat(discord.guildCommands(FakeDiscord.GUILD_ID)).isEmpty();
		// usable in servers and in DMs with the bot
		assertThat(discord.globalCommands())
			.allSatisfy(command -> assertThat(command.path("contexts")).extracting(context -> context.asInt())
				.containsExactlyInAnyOrder(0, 1));
	}

	@Test
	void aRefusedTokenGivesTheLeaseBackAndStopsTrying() {
		nodeA = node("not.the-right.token", new ListenerAdapter() {
		});
		nodeA.start();
		waitFor(WAIT, () -> discord.requests().stream().anyMatch(r -> r.path().endsWith("/users/@me")),
				"a login attempt");
		waitFor(WAIT, () -> leases.holder(0).isEmpty(), "the lease to be given back");
		int logins = discord.requests().size();
		nodeA.tick();
		assertThat(discord.requests()).hasSize(logins);
		assertThat(nodeA.connected()).isEmpty();
		assertThat(discord.identifies()).isEmpty();
	}

	@Test
	void withoutATokenNothingConnects() {
		nodeA = node(" ", new ListenerAdapter() {
		});
		nodeA.start();
		assertThat(nodeA.isRunning()).isFalse();
		assertThat(leases.holder(0)).isEmpty();
		assertThat(discord.requests()).isEmpty();
	}

}
