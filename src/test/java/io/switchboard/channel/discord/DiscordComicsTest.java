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
	ComicPosts posts;

	@Autowired
	ComicDelivery comicDelivery;

	@Test
	void slashComicInAChannelPostsTheStripThereWithItsTitle() {
		FakeDiscord.User alice = person("alice");
		openai.replyNext(STORY, PROMPTS);

		FakeMessage question = discord.say(alice, CHANNEL, "/comic a cat who wants to become a barista");

		FakeMessage notice = replyTo(question);
		assertThat(notice.content()).contains("started").contains("The strip will follow here");
		long comic = startedComic(notice.content());
		FakeMessage strip = awaitComicMessage(CHANNEL, comic);
		waitFor(WAIT, () -> posts.messageId(comic).isPresent(), "the post recorded as sent");
		assertThat(strip.ephemeral()).isFalse();
		assertThat(strip.content())
			.startsWith("🖍️ **Nabi the \\*Barista\\*** — comic #" + comic + " for <@" + alice.id() + ">");
		String sha256 = comics.get(userOf(alice).id(), new ComicId(comic)).stripSha256();
		assertThat(strip.files()).singleElement().satisfies(file -> {
			assertThat(file.filename()).isEqualTo("comic-" + comic + ".png");
			assertThat(file.bytes()).isEqualTo(media.load(sha256).orElseThrow().bytes());
		});
		assertThat(posts.messageId(comic)).contains(strip.id);

		// posted once: another try finds it sent
		comicDelivery.deliver(comic);
		comicDelivery.sweep();
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

		// as if the comic had finished on a node without the gateway: only the row is
		// here
		posts.add(new ComicPosts.Post(comic, Long.toString(carol.id()), CHANNEL, false, null, null,
				"The image provider is not available."));

		FakeMessage failed = awaitComicMessage(CHANNEL, comic);
		assertThat(failed.content()).isEqualTo("⚠️ Comic #" + comic + " for <@" + carol.id()
				+ "> could not be made: The image provider is not available.");
		waitFor(WAIT, () -> posts.messageId(comic).isPresent(), "the post recorded as sent");
		assertThat(posts.claim(comic, ComicDelivery.CLAIM)).as("a sent comic cannot be claimed again").isFalse();
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
