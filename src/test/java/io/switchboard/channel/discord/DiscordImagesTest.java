package io.switchboard.channel.discord;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.switchboard.fakes.FakeDiscord.Component;
import io.switchboard.fakes.FakeDiscord.FakeMessage;
import io.switchboard.fakes.FakeDiscord;
import io.switchboard.image.ImageJob;
import io.switchboard.image.ImageJobId;
import io.switchboard.image.ImageJobs;
import io.switchboard.media.MediaStore;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static io.switchboard.fakes.FakeDiscord.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Midjourney's flow on the fake Discord with the demo image provider: {@code /imagine}
 * makes a job message that shows progress by edits and then the grid with U1-U4, V1-V4
 * and reroll; an upscale comes with Vary (Strong) and Vary (Subtle); every button starts
 * the next job in its own message.
 */
class DiscordImagesTest extends DiscordTestBase {

	static final long CHANNEL = FakeDiscord.CHANNEL_ID;

	@Autowired
	ImageJobs jobs;

	@Autowired
	MediaStore media;

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	@Test
	void imagineMakesAJobMessageThatShowsProgressThenTheGridWithItsButtons() {
		FakeDiscord.User alice = person("alice");
		long begun = System.nanoTime();
		FakeDiscord.Interaction imagine = discord.slash(alice, CHANNEL, "imagine",
				Map.of("prompt", "a lighthouse at dawn"));
		imagine.awaitAcknowledged(WAIT);
		assertThat(imagine.acknowledgedAfter()).isLessThan(java.time.Duration.ofSeconds(3));
		FakeMessage started = imagine.awaitOriginal(WAIT);
		assertThat(started.ephemeral()).isTrue();
		assertThat(started.content()).contains("started", "a lighthouse at dawn");

		FakeMessage message = awaitJobMessage(text -> text.startsWith("**a lighthouse at dawn** — <@"));
		assertThat(message.ephemeral()).isFalse();
		waitFor(WAIT, () -> !message.files().isEmpty(), "the grid");
		long took = java.time.Duration.ofNanos(System.nanoTime() - begun).toMillis();
		ImageJob job = jobOf(message, alice);

		List<String> history = message.history();
		// made when the job was recorded, showing where it is by the time it is sent
		assertThat(history.getFirst()).containsPattern("\\((waiting to start|starting|\\d+%)\\)");
		assertThat(history).anySatisfy(shown -> assertThat(shown).containsPattern("\\(\\d+%\\)\n[▰▱]{10}"));
		assertThat(message.content()).doesNotContain("%)").contains("-# Image " + job.id(), "demo provider");
		// progress edits are paced: at most one per interval, plus the first and the last
		assertThat(history.size()).isLessThanOrEqualTo((int) (took / IMAGE_PROGRESS_INTERVAL.toMillis()) + 2);

		FakeDiscord.Attachment grid = message.files().getFirst();
		assertThat(grid.filename()).isEqualTo("image-" + job.id().value() + ".png");
		assertThat(grid.bytes()).isEqualTo(media.load(job.grid().sha256()).orElseThrow().bytes());
		List<List<Component>> rows = message.rows();
		long id = job.id().value();
		assertThat(rows.get(0)).extracting(Component::label).containsExactly("U1", "U2", "U3", "U4");
		assertThat(rows.get(1)).extracting(Component::label).containsExactly("V1", "V2", "V3", "V4", "🔄 Reroll");
		assertThat(rows.get(0)).extracting(Component::customId)
			.containsExactly("img:" + id + ":U1", "img:" + id + ":U2", "img:" + id + ":U3", "img:" + id + ":U4");
	}

	@Test
	void anUpscaleArrivesWithVaryStrongAndVarySubtleAndEachButtonStartsTheNextJob() {
		FakeDiscord.User bob = person("bob");
		discord.slash(bob, CHANNEL, "imagine", Map.of("prompt", "a red bicycle")).awaitOriginal(WAIT);
		FakeMessage grid = awaitFinished(text -> text.startsWith("**a red bicycle** — <@"));
		ImageJob origin = jobOf(grid, bob);

		FakeDiscord.Interaction upscale = discord.click(bob, grid, "img:" + origin.id().value() + ":U2");
		upscale.awaitAcknowledged(WAIT);
		assertThat(upscale.callbackType()).as("a quiet acknowledgement, as Midjourney's").isEqualTo(6);
		FakeMessage upscaled = awaitFinished(text -> text.contains("Upscaled (image " + origin.id() + " candidate 2)"));
		ImageJob up = jobOf(upscaled, bob);
		assertThat(upscaled.files()).singleElement()
			.satisfies(file -> assertThat(file.bytes())
				.isEqualTo(media.load(up.candidates().getFirst().image().sha256()).orElseThrow().bytes()));
		assertThat(upscaled.rows()).singleElement()
			.satisfies(row -> assertThat(row).extracting(Component::label)
				.containsExactly("Vary (Strong)", "Vary (Subtle)"));
		assertThat(upscaled.customIds()).containsExactly("img:" + up.id().value() + ":VX",
				"img:" + up.id().value() + ":VS");

		discord.click(bob, upscaled, "img:" + up.id().value() + ":VS").awaitAcknowledged(WAIT);
		FakeMessage subtle = awaitFinished(text -> text.contains("Variations (Subtle) of image " + up.id()));
		assertThat(subtle.rows()).hasSize(2);
		discord.click(bob, upscaled, "img:" + up.id().value() + ":VX").awaitAcknowledged(WAIT);
		awaitFinished(text -> text.contains("Variations (Strong) of image " + up.id()));

		discord.click(bob, grid, "img:" + origin.id().value() + ":V3").awaitAcknowledged(WAIT);
		awaitFinished(text -> text.contains("Variations (Strong) of image " + origin.id() + " candidate 3"));
		discord.click(bob, grid, "img:" + origin.id().value() + ":RR").awaitAcknowledged(WAIT);
		FakeMessage rerolled = awaitFinished(text -> text.contains("Rerolled from image " + origin.id()));
		assertThat(rerolled.files()).hasSize(1);
		assertThat(jobs.children(userOf(bob).id(), origin.id())).hasSize(3);
	}

	@Test
	void inADmTheJobMessageComesInTheDm() {
		FakeDiscord.User fred = person("fred");
		discord.slash(fred, fred.dmChannelId(), "imagine", Map.of("prompt", "a snowy owl")).awaitOriginal(WAIT);
		waitFor(WAIT,
				() -> discord.botMessagesIn(fred.dmChannelId())
					.stream()
					.anyMatch(m -> m.content().startsWith("**a snowy owl**") && !m.files().isEmpty()),
				"the grid in the DM");
		FakeMessage grid = discord.botMessagesIn(fred.dmChannelId()).getFirst();
		assertThat(grid.customIds()).hasSize(9);
		assertThat(discord.botMessagesIn(CHANNEL)).noneMatch(m -> m.content().contains("a snowy owl"));
	}

	@Test
	void aButtonOfAJobThatIsNotThereIsRefusedPrivately() {
		FakeDiscord.User carol = person("carol");
		discord.slash(carol, CHANNEL, "imagine", Map.of("prompt", "a quiet harbour")).awaitOriginal(WAIT);
		FakeMessage grid = awaitFinished(text -> text.startsWith("**a quiet harbour** — <@"));
		FakeDiscord.Interaction stale = discord.forceClick(carol, grid, "img:987654321:U1");
		FakeMessage refusal = stale.awaitFollowups(1, WAIT).getFirst();
		assertThat(refusal.ephemeral()).isTrue();
		assertThat(refusal.content()).contains("no image #987654321");
		ImageJob job = jobOf(grid, carol);
		FakeDiscord.Interaction wrong = discord.forceClick(carol, grid, "img:" + job.id().value() + ":VX");
		assertThat(wrong.awaitFollowups(1, WAIT).getFirst().content()).contains("applies to an upscaled image");
		assertThat(jobs.children(userOf(carol).id(), job.id())).isEmpty();
	}

	@Test
	void inImageModeAMessageBecomesAPromptWithItsOwnJobMessage() {
		FakeDiscord.User dan = person("dan");
		FakeMessage mode = discord.say(dan, CHANNEL, "/mode image");
		assertThat(replyTo(mode).content()).contains("Image mode");
		FakeMessage prompt = discord.say(dan, CHANNEL, "a castle made of glass");
		assertThat(replyTo(prompt).content()).contains("started");
		FakeMessage job = awaitFinished(text -> text.startsWith("**a castle made of glass** — <@" + dan.id()));
		assertThat(job.customIds()).hasSize(9);
		assertThat(modelRequestsMentioning("a castle made of glass")).isZero();
	}

	@Test
	void jobsChangedOnAnotherNodeAreCaughtUpByTheSweep() {
		FakeDiscord.User erin = person("erin");
		discord.slash(erin, CHANNEL, "imagine", Map.of("prompt", "a paper boat")).awaitOriginal(WAIT);
		FakeMessage message = awaitFinished(text -> text.startsWith("**a paper boat** — <@"));
		ImageJob job = jobOf(message, erin);
		waitFor(WAIT, () -> finished(job), "the job's message recorded as finished");
		int shown = message.history().size();

		// as if the job had changed on another node, which wrote its delivery due: this
		// node never saw the change's event
		jdbc.sql("UPDATE channel_deliveries SET shown = 'RUNNING:50', state = 'pending' WHERE dedup_key = ?")
			.param("image:" + job.id().value())
			.update();
		waitFor(WAIT, () -> finished(job), "the sweep to show the job again");
		assertThat(message.history()).hasSize(shown + 1);
		assertThat(message.content()).isEqualTo(message.history().get(shown - 1));
	}

	/** Whether the job's message shows it finished, and nothing is left to send. */
	private boolean finished(ImageJob job) {
		return jdbc.sql("SELECT shown FROM channel_deliveries WHERE dedup_key = ? AND state = 'sent'")
			.param("image:" + job.id().value())
			.query(String.class)
			.optional()
			.map(shown -> shown.equals("SUCCEEDED"))
			.orElse(false);
	}

	// ----------------------------------------------------------------- helpers

	private static FakeMessage awaitJobMessage(Predicate<String> content) {
		waitFor(WAIT, () -> discord.botMessagesIn(CHANNEL).stream().anyMatch(m -> content.test(m.content())),
				"an image job message");
		return discord.botMessagesIn(CHANNEL).stream().filter(m -> content.test(m.content())).findFirst().orElseThrow();
	}

	private static FakeMessage awaitFinished(Predicate<String> content) {
		FakeMessage message = awaitJobMessage(content);
		waitFor(WAIT, () -> !message.files().isEmpty() && !message.customIds().isEmpty(), "the finished job");
		return message;
	}

	private ImageJob jobOf(FakeMessage message, FakeDiscord.User owner) {
		java.util.regex.Matcher id = java.util.regex.Pattern.compile("-# Image #(\\d+)").matcher(message.content());
		assertThat(id.find()).as("the job id in " + message.content()).isTrue();
		return jobs.find(userOf(owner).id(), new ImageJobId(Long.parseLong(id.group(1)))).orElseThrow();
	}

}
