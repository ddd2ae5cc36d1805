package io.switchboard.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import io.switchboard.fakes.FakeDiscord;
import io.switchboard.fakes.FakeLine;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.testsupport.Cluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node killed ({@code kill -9}) in the middle of its work, with another node on the
 * same database: the survivor finishes a chat turn, an image job and a comic the dead
 * node had under way, within the heartbeat windows, and each result reaches its user
 * once; the Discord shard the dead node held moves to the survivor within
 * {@code lease-ttl}, under a new fencing token.
 */
class NodeDeathTest {

	/**
	 * Lease and heartbeat windows of this test, kept short so that a take-over is quick.
	 */
	private static final Duration WINDOW = Duration.ofSeconds(4);

	private static final Duration WAIT = Duration.ofSeconds(90);

	private static final String COMIC_STORY = """
			{"title": "Nabi the Barista", "panels": [
			 {"scene": "An orange cat stares at an espresso machine.", "characters": "Nabi", "dialogue": "Nabi: I will make coffee!", "caption": "Monday morning"},
			 {"scene": "Nabi spills milk over the counter.", "characters": "Nabi", "dialogue": "", "caption": "First try"},
			 {"scene": "The owner laughs and hands Nabi a tiny apron.", "characters": "Nabi, Owner", "dialogue": "Owner: Not bad!", "caption": ""},
			 {"scene": "Nabi serves a latte with a fish in the foam.", "characters": "Nabi", "dialogue": "Nabi: Meow!", "caption": "The end"}]}""";

	private static final String COMIC_PROMPTS = """
			{"characterSheet": "Nabi: small orange tabby cat, blue apron. Owner: young woman, short black hair.",
			 "styleLine": "soft watercolor webtoon",
			 "panels": [
			  {"prompt": "watercolor, orange cat staring at espresso machine", "negativePrompt": "text"},
			  {"prompt": "watercolor, orange cat spilling milk", "negativePrompt": "text"},
			  {"prompt": "watercolor, woman laughing, orange cat in apron", "negativePrompt": "text"},
			  {"prompt": "watercolor, orange cat serving latte", "negativePrompt": "text"}]}""";

	private final FakeOpenAi model = FakeOpenAi.start("sk-death");

	private final FakeLine line = FakeLine.start("death-secret", "death-token");

	private final FakeDiscord discord = FakeDiscord.start();

	/** Holds the dead node's model stream; let go once the node is gone. */
	private final CountDownLatch held = new CountDownLatch(1);

	private Cluster cluster;

	@AfterEach
	void stop() {
		held.countDown();
		if (cluster != null) {
			cluster.close();
		}
		line.close();
		discord.close();
		model.close();
	}

	private List<String> settings() {
		List<String> settings = new ArrayList<>(ClusterSettings.model(model, "3s"));
		settings.addAll(List.of("switchboard.line.channel-secret=" + line.channelSecret(),
				"switchboard.line.channel-access-token=" + line.accessToken(),
				"switchboard.line.api-base-url=" + line.uri(), "switchboard.line.data-api-base-url=" + line.uri(),
				"switchboard.discord.token=" + FakeDiscord.TOKEN,
				"switchboard.discord.rest-base-url=" + discord.restBaseUrl(),
				"switchboard.discord.gateway-url=" + discord.gatewayUrl(),
				"switchboard.discord.command-guilds=" + FakeDiscord.GUILD_ID, "switchboard.discord.edit-interval=200ms",
				"switchboard.discord.lease-ttl=3s", "switchboard.discord.lease-renew-interval=1s",
				// people here expect an answer to their first message (Discord's own
				// start is
				// disabled until turned on)
				"switchboard.conversation.platforms.discord.initial-state=new",
				"switchboard.conversation.platforms.discord.attach-new-sessions=true",
				"db-scheduler.heartbeat-interval=1s", "db-scheduler.missed-heartbeats-limit=4",
				"db-scheduler.polling-interval=500ms", "switchboard.image.demo.duration=5s",
				"switchboard.comic.run-poll-interval=200ms"));
		return settings;
	}

	private int modelRequestsAbout(String text) {
		return (int) model.requests().stream().filter(request -> request.bodyText().contains(text)).count();
	}

	private static String newLineUser() {
		return "U" + UUID.randomUUID().toString().replace("-", "");
	}

	@Test
	void whatAKilledNodeHadUnderWayIsFinishedByAnotherAndArrivesOnce() {
		cluster = Cluster.start(0, settings());
		// the node that will die starts first, so it holds the Discord shard
		Cluster.NodeProcess victim = cluster.startProcess("switchboard.channel.node=victim");
		java.net.URI victimWebhook = java.net.URI.create("http://127.0.0.1:" + victim.port() + "/line/webhook");
		discord.awaitReady(Duration.ofSeconds(60));
		ConfigurableApplicationContext survivor = cluster.addNode();
		JdbcClient database = cluster.database();
		assertThat(database.sql("SELECT epoch FROM discord_gateway_leases WHERE shard_id = 0 AND holder LIKE ?")
			.param("%")
			.query(Long.class)
			.single()).isEqualTo(1L);
		String victimHolder = database.sql("SELECT holder FROM discord_gateway_leases WHERE shard_id = 0")
			.query(String.class)
			.single();

		// a chat turn: the model has begun its answer when the node dies
		String chatter = newLineUser();
		String question = "Survive this " + UUID.randomUUID().toString().substring(0, 8);
		model.holdNextStreamAfterFirstPiece(held);
		assertThat(line.deliver(victimWebhook, FakeLine.body(line.text(FakeLine.user(chatter), question))).statusCode())
			.isEqualTo(200);
		await().atMost(WAIT).until(() -> modelRequestsAbout(question) == 1);

		// an image job and a comic, started on the node that will die
		String painter = newLineUser();
		assertThat(
				line.deliver(victimWebhook, FakeLine.body(line.text(FakeLine.user(painter), "/imagine a lighthouse")))
					.statusCode())
			.isEqualTo(200);
		String author = newLineUser();
		model.replyNext(COMIC_STORY, COMIC_PROMPTS);
		assertThat(line
			.deliver(victimWebhook,
					FakeLine.body(line.text(FakeLine.user(author), "/comic a cat who wants to be a barista")))
			.statusCode()).isEqualTo(200);
		await().atMost(WAIT).until(() -> line.sentTo(painter).size() == 1 && line.sentTo(author).size() == 1);
		// the comic's panels are image jobs: it is drawing when the node dies
		await().atMost(WAIT)
			.until(() -> database.sql("SELECT COUNT(*) FROM image_jobs").query(Integer.class).single() >= 5);

		victim.kill();
		long killedAt = System.nanoTime();
		held.countDown();

		// Discord: the shard moves to the survivor within the lease's time, under a new
		// token
		await().atMost(WINDOW.plusSeconds(10))
			.until(() -> database
				.sql("SELECT COUNT(*) FROM discord_gateway_leases WHERE shard_id = 0 AND holder <> ? AND epoch = 2")
				.param(victimHolder)
				.query(Integer.class)
				.single() == 1);
		double movedAfter = (System.nanoTime() - killedAt) / 1e9;
		System.out.printf("Discord shard 0 moved to the survivor %.1f s after the kill (lease-ttl 3 s)%n", movedAfter);
		FakeDiscord.User person = discord.user("after-the-kill");
		discord.awaitReady(Duration.ofSeconds(30));
		discord.sayInDm(person, "still here?");
		await().atMost(WAIT).until(() -> discord.botMessagesIn(person.dmChannelId()).size() == 1);
		assertThat(discord.botMessagesIn(person.dmChannelId()).getFirst().content()).contains("Echo: still here?");

		// the chat turn: answered once, by the survivor
		await().atMost(WAIT).until(() -> line.sentTo(chatter).size() == 1);
		assertThat(line.sentTo(chatter).getFirst().texts()).singleElement()
			.satisfies(text -> assertThat(text).contains("Echo: " + question));
		// the image job and the comic: one result each
		await().atMost(WAIT).until(() -> line.sentTo(painter).size() >= 2 && line.sentTo(author).size() >= 2);
		await().during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(10))
			.until(() -> line.sentTo(chatter).size() == 1 && line.sentTo(painter).size() == 2
					&& line.sentTo(author).size() == 2);
		assertThat(line.sentTo(painter).get(1).ofType("image")).hasSize(1);
		assertThat(line.sentTo(author).get(1).texts().getFirst()).contains("Nabi the Barista");
		assertThat(line.sentTo(author).get(1).ofType("image")).hasSize(1);
		assertThat(database.sql("""
				SELECT a.state FROM messages a JOIN messages q ON a.reply_to = q.id
				 WHERE q.role = 'user' AND q.content LIKE ?""")
			.param("%" + question + "%")
			.query(String.class)
			.single()).isEqualTo("answered");
		assertThat(survivor.isActive()).isTrue();
	}

}
