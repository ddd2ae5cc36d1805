package io.switchboard.channel.discord;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.switchboard.comic.ComicId;
import io.switchboard.comic.Comics;
import io.switchboard.fakes.FakeDiscord;
import io.switchboard.fakes.FakeDiscord.FakeMessage;
import io.switchboard.media.MediaStore;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static io.switchboard.fakes.FakeDiscord.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /comic} on the fake Discord, with the story and prompts scripted on the fake
 * model and the panels drawn by the demo image provider: the strip is posted in the
 * channel it was asked in, with its title; a comic that cannot be made is posted as its
 * reason; and comics written down on another node are posted by the sweep.
 */
class DiscordComicsTest extends DiscordTestBase {

	static final long CHANNEL = FakeDiscord.CHANNEL_ID;

	static final Duration COMIC_WAIT = Duration.ofSeconds(60);

	static final String STORY = """
			{"title": "Nabi the *Barista*", "panels": [
			 {"scene": "An orange cat stares at an espresso machine.", "characters": "Nabi", "dialogue": "Nabi: I will make coffee!", "caption": "Monday morning"},
			 {"scene": "Nabi spills milk over the counter.", "characters": "Nabi", "dialogue": "", "caption": "First try"},
			 {"scene": "The owner laughs and hands Nabi a tiny apron.", "characters": "Nabi, Owner", "dialogue": "Owner: Not bad!", "caption": ""},
			 {"scene": "Nabi serves a latte with a fish in the foam.", "characters": "Nabi", "dialogue": "Nabi: Meow!", "caption": "The end"}]}""";

	static final String PROMPTS = """
			{"characterSheet": "Nabi: small orange tabby cat, blue apron. Owner: young woman, short black hair.",
			 "styleLine": "soft watercolor webtoon",
			 "panels": [
			  {"prompt": "watercolor, orange cat staring at espresso machine", "negativePrompt": "text"},
			  {"prompt": "watercolor, orange cat spilling milk", "negativePrompt": "text"},
			  {"prompt": "watercolor, woman laughing, orange cat in apron", "negativePrompt": "text"},
			  {"prompt": "watercolor, orange cat serving latte", "negativePrompt": "text"}]}""";

	@Autowired
	Comics comics;

	@Autowired
	MediaStore media;

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	@Autowired
	org.springframework.context.ApplicationEventPublisher events;

	String deliveryState(long comic) {
		return jdbc.sql("SELECT state FROM channel_deliveries WHERE dedup_key = ?")
			.param("comic:" + comic)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	@Test
	void slashComicInAChannelPostsTheStripThereWithItsTitle() {
		FakeDiscord.User alice = person("alice");
		openai.replyNext(STORY, PROMPTS);

		FakeMessage question = discord.say(alice, CHANNEL, "/comic a cat who wants to become a barista");

		FakeMessage notice = replyTo(question);
		assertThat(notice.content()).contains("started").contains("The strip will follow here");
		long comic = startedComic(notice.content());
		FakeMessage strip = awaitComicMessage(CHANNEL, comic);
		waitFor(WAIT, () -> "sent".equals(deliveryState(comic)), "the post recorded as sent");
		assertThat(strip.ephemeral()).isFalse();
		assertThat(strip.content())
			.startsWith("🖍️ **Nabi the \\*Barista\\*** — comic #" + comic + " for <@" + alice.id() + ">");
		String sha256 = comics.get(userOf(alice).id(), new ComicId(comic)).stripSha256();
		assertThat(strip.files()).singleElement().satisfies(file -> {
			assertThat(file.filename()).isEqualTo("comic-" + comic + ".png");
			assertThat(file.bytes()).isEqualTo(media.load(sha256).orElseThrow().bytes());
		});
		assertThat(jdbc.sql("SELECT refs FROM channel_deliveries WHERE dedup_key = ?")
			.param("comic:" + comic)
			.query(String.class)
			.single()).contains(Long.toString(strip.id));

		// posted once: the comic module saying it again sends nothing new
		events.publishEvent(new io.switchboard.comic.ComicFinished(new ComicId(comic), userOf(alice).id(), "again",
				media.find(sha256).orElseThrow(), comics.get(userOf(alice).id(), new ComicId(comic)).origin()));
		assertThat(
				discord.botMessagesIn(CHANNEL).stream().filter(m -> m.content().contains("comic #" + comic + " for")))
			.hasSize(1);
	}

	@Test
	void theComicSlashCommandAnswersPrivatelyAndAFailureArrivesInTheDmWithItsReason() {
		FakeDiscord.User bob = person("bob");
		// the model answers no JSON, twice
		openai.replyNext("Sorry, no comic today.", "Still no comic.");

		FakeMessage started = slash(bob, bob.dmChannelId(), "comic", Map.of("idea", "a dragon's day off"));

		assertThat(started.content()).contains("started").contains("a dragon's day off");
		long comic = startedComic(started.content());
		FakeMessage failed = awaitComicMessage(bob.dmChannelId(), comic);
		assertThat(failed.content()).startsWith("⚠️ Comic #" + comic + " for <@" + bob.id() + "> could not be made: ")
			.contains("twice in a row");
		assertThat(failed.files()).isEmpty();
		assertThat(discord.botMessagesIn(CHANNEL)).noneMatch(m -> m.content().contains("Comic #" + comic + " for"));
	}

	@Test
	void aComicWrittenDownOnAnotherNodeIsPostedByTheSweep() {
		FakeDiscord.User carol = person("carol");
		long comic = 900_000 + System.nanoTime() % 100_000;

		// as if the comic had failed on a node without the gateway: only its delivery is
		// here, written there
		long now = System.currentTimeMillis();
		jdbc.sql("""
				INSERT INTO channel_deliveries (platform, dedup_key, lane, address, content, state, next_at, created_at,
				                                updated_at)
				VALUES ('discord', ?, ?, ?, ?, 'pending', ?, ?, ?)""")
			.params("comic:" + comic, Long.toString(CHANNEL), "{\"kind\":\"channel\",\"channel\":" + CHANNEL + "}",
					"{\"type\":\"comic\",\"comic\":" + comic + ",\"requester\":\"" + carol.id()
							+ "\",\"failure\":\"The image provider is not available.\"}",
					now, now, now)
			.update();

		FakeMessage failed = awaitComicMessage(CHANNEL, comic);
		assertThat(failed.content()).isEqualTo("⚠️ Comic #" + comic + " for <@" + carol.id()
				+ "> could not be made: The image provider is not available.");
		waitFor(WAIT,
				() -> "sent".equals(jdbc.sql("SELECT state FROM channel_deliveries WHERE dedup_key = ?")
					.param("comic:" + comic)
					.query(String.class)
					.single()),
				"the post recorded as sent");
	}

	// ----------------------------------------------------------------- helpers

	static long startedComic(String notice) {
		Matcher started = Pattern.compile("Comic #(\\d+) started").matcher(notice);
		assertThat(started.find()).as("a started notice in %s", notice).isTrue();
		return Long.parseLong(started.group(1));
	}

	static FakeMessage awaitComicMessage(long channel, long comic) {
		waitFor(COMIC_WAIT, () -> comicMessage(channel, comic).isPresent(), "comic #" + comic + " in " + channel);
		return comicMessage(channel, comic).orElseThrow();
	}

	static Optional<FakeMessage> comicMessage(long channel, long comic) {
		return discord.botMessagesIn(channel)
			.stream()
			.filter(m -> m.content().contains("omic #" + comic + " for <@"))
			.findFirst();
	}

}
