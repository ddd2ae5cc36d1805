package io.switchboard.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.imageio.ImageIO;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Received;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.media.MediaStore;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Midjourney flow end to end on the demo provider: origin, upscale, vary strong and
 * subtle, reroll, the job tree, events after commit, bad actions, and the chat entry
 * points ({@code /imagine} and image mode).
 */
@IntegrationTest
@Import(ImageJobsTest.Recorder.class)
@TestPropertySource(properties = { "switchboard.image.demo.duration=200ms",
		"switchboard.image.banned-words=gore, forbidden thing", "db-scheduler.polling-interval=100ms" })
class ImageJobsTest {

	static final Duration WAIT = Duration.ofSeconds(30);

	/** Each event with the state the database held when the listener saw it. */
	static final List<String[]> seen = new CopyOnWriteArrayList<>();

	static class Recorder {

		private final JdbcClient jdbc;

		Recorder(JdbcClient jdbc) {
			this.jdbc = jdbc;
		}

		@EventListener
		public void on(ImageJobUpdated updated) {
			String committed = jdbc.sql("SELECT state FROM image_jobs WHERE id = ?")
				.param(updated.job().id().value())
				.query(String.class)
				.optional()
				.orElse("missing");
			seen.add(new String[] { Long.toString(updated.job().id().value()),
					updated.job().state().name().toLowerCase(), committed });
		}

	}

	@Autowired
	ImageJobs jobs;

	@Autowired
	Conversations conversations;

	@Autowired
	MediaStore media;

	@Autowired
	Assistant assistant;

	User me;

	ImageOrigin origin;

	@BeforeEach
	void user() {
		PlatformUserId id = new PlatformUserId("line", "U" + UUID.randomUUID());
		me = conversations.identify(id, "Painter");
		origin = new ImageOrigin(id, Place.direct("line"));
	}

	ImageJob finished(ImageJob job) {
		ImageJob done = jobs.await(job.id(), WAIT);
		assertThat(done.state()).as("job %s: %s", job.id(), done.failureReason()).isEqualTo(JobState.SUCCEEDED);
		return done;
	}

	static BufferedImage image(MediaStore media, String sha256) throws IOException {
		return ImageIO.read(new ByteArrayInputStream(media.load(sha256).orElseThrow().bytes()));
	}

	@Test
	void aPromptGivesFourCandidatesAndAGridRecordedWithTheJob() throws IOException {
		ImageJob queued = jobs.imagine(me.id(), new ImageRequest("a lighthouse at dawn", "fog",
				new ImageSettings(null, null, 256, 192, 42L, null, null, null)), origin);
		assertThat(queued.state()).isEqualTo(JobState.QUEUED);
		assertThat(queued.kind()).isEqualTo(JobKind.ORIGIN);
		assertThat(queued.provider()).isEqualTo("demo");
		assertThat(queued.settings().seed()).isEqualTo(42L);
		assertThat(queued.origin()).isEqualTo(origin);

		ImageJob done = finished(queued);
		assertThat(done.candidates()).extracting(Candidate::index).containsExactly(1, 2, 3, 4);
		assertThat(done.candidates()).allSatisfy(candidate -> {
			assertThat(candidate.image().width()).isEqualTo(256);
			assertThat(candidate.image().height()).isEqualTo(192);
			assertThat(media.find(candidate.image().sha256())).isPresent();
		});
		assertThat(done.candidates().stream().map(c -> c.image().sha256()).distinct()).hasSize(4);
		assertThat(done.grid()).isNotNull();
		assertThat(done.grid().width()).isEqualTo(512);
		assertThat(done.grid().height()).isEqualTo(384);
		assertThat(done.progress()).isEqualTo(100);
		assertThat(done.finishedAt()).isNotNull();
		assertThat(done.providerTaskId()).startsWith("demo:");
		assertThat(done.actions()).extracting(ImageAction::code)
			.containsExactly("U1", "U2", "U3", "U4", "V1", "V2", "V3", "V4", "RR");
		// the same prompt and seed draw the same candidates
		ImageJob again = finished(jobs.imagine(me.id(), new ImageRequest("a lighthouse at dawn", "fog",
				new ImageSettings(null, null, 256, 192, 42L, null, null, null)), origin));
		assertThat(again.candidates().getFirst().image().sha256())
			.isEqualTo(done.candidates().getFirst().image().sha256());
		// the grid's corners are numbered: the first cell's corner differs from the
		// candidate's
		BufferedImage grid = image(media, done.grid().sha256());
		BufferedImage first = image(media, done.candidates().getFirst().image().sha256());
		assertThat(grid.getRGB(20, 20)).isNotEqualTo(first.getRGB(20, 20));
	}

	@Test
	void everyChangeIsPublishedAfterItIsCommitted() {
		ImageJob done = finished(jobs.imagine(me.id(), ImageRequest.of("a red fox"), origin));
		String id = Long.toString(done.id().value());
		await().atMost(WAIT)
			.until(() -> seen.stream().anyMatch(event -> event[0].equals(id) && event[1].equals("succeeded")));
		List<String[]> events = seen.stream().filter(event -> event[0].equals(id)).toList();
		assertThat(events).extracting(event -> event[1])
			.startsWith("queued")
			.contains("submitted")
			.endsWith("succeeded");
		// the database already held each published state when the event was delivered
		assertThat(events).allSatisfy(event -> assertThat(event[2]).isNotEqualTo("missing"));
		assertThat(events.getLast()[2]).isEqualTo("succeeded");
	}

	@Test
	void upscaleThenVaryStrongAndSubtleThenUpscaleAgainWithoutEnd() {
		ImageJob origin1 = finished(jobs.imagine(me.id(),
				new ImageRequest("a castle", null, new ImageSettings(null, null, 128, 128, null, null, null, null)),
				origin));
		ImageJob upscale = finished(jobs.act(me.id(), origin1.id(), new ImageAction.Upscale(2), origin));
		assertThat(upscale.kind()).isEqualTo(JobKind.UPSCALE);
		assertThat(upscale.parent()).isEqualTo(origin1.id());
		assertThat(upscale.parentIndex()).isEqualTo(2);
		assertThat(upscale.prompt()).isEqualTo("a castle");
		assertThat(upscale.grid()).isNull();
		assertThat(upscale.candidates()).hasSize(1);
		assertThat(upscale.candidates().getFirst().image().width()).isEqualTo(256);
		assertThat(upscale.actions()).extracting(ImageAction::code).containsExactly("VX", "VS");
		assertThat(upscale.actions()).extracting(ImageAction::label).containsExactly("Vary (Strong)", "Vary (Subtle)");

		ImageJob strong = finished(jobs.act(me.id(), upscale.id(), ImageAction.parse("VX").orElseThrow(), origin));
		assertThat(strong.kind()).isEqualTo(JobKind.VARY_STRONG);
		assertThat(strong.parentIndex()).isNull();
		assertThat(strong.candidates()).hasSize(4);
		assertThat(strong.grid()).isNotNull();

		ImageJob subtle = finished(jobs.act(me.id(), upscale.id(), ImageAction.parse("VS").orElseThrow(), origin));
		assertThat(subtle.kind()).isEqualTo(JobKind.VARY_SUBTLE);
		assertThat(subtle.candidates()).hasSize(4);

		ImageJob again = finished(jobs.act(me.id(), subtle.id(), new ImageAction.Upscale(4), origin));
		assertThat(again.candidates()).hasSize(1);
		ImageJob fromCandidate = finished(jobs.act(me.id(), again.id(), new ImageAction.VarySubtle(null), origin));
		assertThat(fromCandidate.candidates()).hasSize(4);

		ImageJob varyCandidate = finished(jobs.act(me.id(), origin1.id(), new ImageAction.VaryStrong(3), origin));
		assertThat(varyCandidate.parentIndex()).isEqualTo(3);
		ImageJob subtleCandidate = finished(jobs.act(me.id(), origin1.id(), new ImageAction.VarySubtle(1), origin));
		assertThat(subtleCandidate.kind()).isEqualTo(JobKind.VARY_SUBTLE);

		// the job tree: what came from what
		assertThat(jobs.children(me.id(), origin1.id())).extracting(ImageJob::id)
			.containsExactly(upscale.id(), varyCandidate.id(), subtleCandidate.id());
		assertThat(jobs.children(me.id(), upscale.id())).extracting(ImageJob::id)
			.containsExactly(strong.id(), subtle.id());
		assertThat(jobs.list(me.id(), 100, 0)).first().extracting(ImageJob::id).isEqualTo(subtleCandidate.id());
		assertThat(jobs.list(me.id(), 100, 0)).hasSize(8);
		assertThat(jobs.list(me.id(), 2, 1)).hasSize(2);
	}

	@Test
	void aRerollDrawsFourNewCandidatesFromTheSamePrompt() {
		ImageJob first = finished(jobs.imagine(me.id(), ImageRequest.of("a sailing ship"), origin));
		ImageJob reroll = finished(jobs.act(me.id(), first.id(), new ImageAction.Reroll(), origin));
		assertThat(reroll.kind()).isEqualTo(JobKind.REROLL);
		assertThat(reroll.prompt()).isEqualTo("a sailing ship");
		assertThat(reroll.settings().seed()).isNotEqualTo(first.settings().seed());
		assertThat(reroll.candidates()).hasSize(4);
		assertThat(reroll.candidates().getFirst().image().sha256())
			.isNotEqualTo(first.candidates().getFirst().image().sha256());
		// a reroll of a variation varies the same image again
		ImageJob vary = finished(jobs.act(me.id(), first.id(), new ImageAction.VaryStrong(1), origin));
		ImageJob rerollVary = finished(jobs.act(me.id(), vary.id(), new ImageAction.Reroll(), origin));
		assertThat(rerollVary.candidates()).hasSize(4);
	}

	@Test
	void actionsThatDoNotApplyAreRefusedAndChangeNothing() {
		ImageJob grid = finished(jobs.imagine(me.id(), ImageRequest.of("a tree"), origin));
		ImageJob upscale = finished(jobs.act(me.id(), grid.id(), new ImageAction.Upscale(1), origin));
		int before = jobs.list(me.id(), 100, 0).size();

		assertThatThrownBy(() -> jobs.act(me.id(), upscale.id(), new ImageAction.Upscale(1), origin))
			.isInstanceOf(ImageJobException.NotAllowed.class)
			.hasMessageContaining("upscaled");
		assertThatThrownBy(() -> jobs.act(me.id(), upscale.id(), new ImageAction.Reroll(), origin))
			.isInstanceOf(ImageJobException.NotAllowed.class);
		assertThatThrownBy(() -> jobs.act(me.id(), upscale.id(), new ImageAction.VaryStrong(2), origin))
			.isInstanceOf(ImageJobException.NotAllowed.class);
		assertThatThrownBy(() -> jobs.act(me.id(), grid.id(), new ImageAction.VaryStrong(null), origin))
			.isInstanceOf(ImageJobException.NotAllowed.class)
			.hasMessageContaining("V1-V4");

		ImageJob running = jobs.imagine(me.id(), ImageRequest.of("a slow tree"), origin);
		assertThatThrownBy(() -> jobs.act(me.id(), running.id(), new ImageAction.Upscale(1), origin))
			.isInstanceOf(ImageJobException.NotAllowed.class)
			.hasMessageContaining("not finished");

		User stranger = conversations.identify(new PlatformUserId("line", "U" + UUID.randomUUID()), "Stranger");
		assertThatThrownBy(() -> jobs.act(stranger.id(), grid.id(), new ImageAction.Upscale(1), origin))
			.isInstanceOf(ImageJobException.NotFound.class);
		assertThat(jobs.find(stranger.id(), grid.id())).isEmpty();
		assertThatThrownBy(() -> jobs.children(stranger.id(), grid.id()))
			.isInstanceOf(ImageJobException.NotFound.class);
		assertThatThrownBy(() -> jobs.act(me.id(), new ImageJobId(987654321), new ImageAction.Upscale(1), origin))
			.isInstanceOf(ImageJobException.NotFound.class);
		assertThat(jobs.list(me.id(), 100, 0)).hasSize(before + 1);
		jobs.await(running.id(), WAIT);
	}

	@Test
	void bannedWordsAndBadSettingsAreRefusedBeforeAnythingIsRecorded() {
		assertThatThrownBy(() -> jobs.imagine(me.id(), ImageRequest.of("lots of GORE everywhere"), origin))
			.isInstanceOfSatisfying(ImageJobException.Rejected.class,
					rejected -> assertThat(rejected.reason()).isEqualTo(ImageJobException.Rejected.Reason.BANNED))
			.hasMessageContaining("gore");
		assertThatThrownBy(() -> jobs.imagine(me.id(), ImageRequest.of("a Forbidden Thing here"), origin))
			.isInstanceOf(ImageJobException.Rejected.class);
		// a word that merely contains a banned one is fine
		jobs.imagine(me.id(), ImageRequest.of("a goretex jacket"), origin);
		assertThatThrownBy(() -> jobs.imagine(me.id(),
				new ImageRequest("x", null, new ImageSettings(null, null, 100, 512, null, null, null, null)), origin))
			.isInstanceOf(ImageJobException.Rejected.class)
			.hasMessageContaining("multiple of 8");
		assertThatThrownBy(() -> jobs.imagine(me.id(),
				new ImageRequest("x", null, new ImageSettings(null, null, null, null, null, 0, null, null)), origin))
			.isInstanceOf(ImageJobException.Rejected.class)
			.hasMessageContaining("Steps");
		assertThatThrownBy(
				() -> jobs.imagine(me.id(),
						new ImageRequest("x", null,
								new ImageSettings("nowhere", null, null, null, null, null, null, null)),
						origin))
			.isInstanceOfSatisfying(ImageJobException.Rejected.class,
					rejected -> assertThat(rejected.reason())
						.isEqualTo(ImageJobException.Rejected.Reason.UNKNOWN_PROVIDER))
			.hasMessageContaining("demo");
		assertThatThrownBy(() -> jobs.imagine(me.id(), ImageRequest.of("x".repeat(4001)), origin))
			.isInstanceOf(ImageJobException.Rejected.class);
		assertThat(jobs.list(me.id(), 100, 0)).hasSize(1);
	}

	@Test
	void aJobCanBeCancelledUntilItFinishes() {
		ImageJob job = jobs.imagine(me.id(), ImageRequest.of("a cancelled cat"), origin);
		ImageJob cancelled = jobs.cancel(me.id(), job.id());
		assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
		assertThat(cancelled.finishedAt()).isNotNull();
		assertThat(jobs.await(job.id(), Duration.ofSeconds(1)).state()).isEqualTo(JobState.CANCELLED);
		assertThatThrownBy(() -> jobs.cancel(me.id(), job.id())).isInstanceOf(ImageJobException.NotAllowed.class);
	}

	@Test
	void imagineAndImageModeStartAJobAndSayTheyDid() {
		RecordingSink sink = new RecordingSink();
		InboundMessage imagine = InboundMessage.text(origin.requester(), "Painter", origin.place(),
				"/imagine a blue whale --ar 16:9 --no boats --seed 7");
		assertThat(sink.receive(assistant, imagine)).isInstanceOf(Received.Replied.class);
		assertThat(sink.notice().text()).contains("started").contains("a blue whale").containsIgnoringCase("demo");
		ImageJob job = jobs.list(me.id(), 1, 0).getFirst();
		assertThat(job.prompt()).isEqualTo("a blue whale");
		assertThat(job.negativePrompt()).isEqualTo("boats");
		assertThat(job.settings().seed()).isEqualTo(7L);
		assertThat(job.settings().width()).isGreaterThan(job.settings().height());
		assertThat(job.origin()).isEqualTo(origin);

		sink.clear();
		sink.receive(assistant, InboundMessage.text(origin.requester(), "Painter", origin.place(), "/imagine"));
		assertThat(sink.notice().text()).contains("Write what to draw");

		sink.clear();
		sink.receive(assistant, InboundMessage.text(origin.requester(), "Painter", origin.place(), "/imagine gore"));
		assertThat(sink.notice().text()).contains("does not draw");

		sink.clear();
		sink.receive(assistant, InboundMessage.text(origin.requester(), "Painter", origin.place(), "/mode image"));
		assertThat(sink.notice().text()).contains("Image mode");
		sink.clear();
		assertThat(sink.receive(assistant,
				InboundMessage.text(origin.requester(), "Painter", origin.place(), "a green parrot")))
			.isInstanceOf(Received.Replied.class);
		assertThat(sink.notice().text()).contains("started").contains("a green parrot");
		assertThat(jobs.list(me.id(), 1, 0).getFirst().prompt()).isEqualTo("a green parrot");

		sink.clear();
		sink.receive(assistant, InboundMessage.text(origin.requester(), "Painter", origin.place(), "/help"));
		assertThat(sink.notice().text()).contains("/imagine");
		finished(jobs.list(me.id(), 1, 0).getFirst());
	}

	@Test
	void imageCommandActsOnJobsByTextSoButtonsCanSendIt() {
		ImageJob grid = finished(jobs.imagine(me.id(), ImageRequest.of("a windmill"), origin));
		RecordingSink sink = new RecordingSink();
		sink.receive(assistant,
				InboundMessage.text(origin.requester(), "Painter", origin.place(), "/image " + grid.id()));
		assertThat(sink.notice().text()).contains(grid.id().toString()).contains("a windmill").contains("succeeded");
		assertThat(sink.notice().actions()).extracting(io.switchboard.assistant.Reply.Action::command)
			.contains("/image " + grid.id() + " U1", "/image " + grid.id() + " V4", "/image " + grid.id() + " RR");

		sink.clear();
		sink.receive(assistant,
				InboundMessage.text(origin.requester(), "Painter", origin.place(), "/image " + grid.id() + " U3"));
		assertThat(sink.notice().text()).contains("started").contains("Upscaling candidate 3");
		ImageJob upscale = jobs.list(me.id(), 1, 0).getFirst();
		assertThat(upscale.kind()).isEqualTo(JobKind.UPSCALE);
		assertThat(upscale.parentIndex()).isEqualTo(3);

		sink.clear();
		sink.receive(assistant,
				InboundMessage.text(origin.requester(), "Painter", origin.place(), "/image cancel " + upscale.id()));
		assertThat(sink.notice().text()).contains("cancelled");
		sink.clear();
		sink.receive(assistant, InboundMessage.text(origin.requester(), "Painter", origin.place(), "/image list"));
		assertThat(sink.notice().text()).contains(upscale.id().toString()).contains(grid.id().toString());
		sink.clear();
		sink.receive(assistant, InboundMessage.text(origin.requester(), "Painter", origin.place(), "/image #x1 U1"));
		assertThat(sink.notice().text()).contains("not an image number");
		sink.clear();
		sink.receive(assistant,
				InboundMessage.text(origin.requester(), "Painter", origin.place(), "/image #987654 U1"));
		assertThat(sink.notice().text()).contains("no image #987654");
	}

	@Test
	void inAGroupAnyoneThereMayPressTheButtonsButNobodyElse() {
		Place group = Place.group("discord", "channel-" + UUID.randomUUID());
		ImageJob grid = finished(
				jobs.imagine(me.id(), ImageRequest.of("a group portrait"), new ImageOrigin(origin.requester(), group)));
		PlatformUserId friendId = new PlatformUserId("discord", "friend-" + UUID.randomUUID());
		User friend = conversations.identify(friendId, "Friend");
		ImageJob upscale = jobs.act(friend.id(), grid.id(), new ImageAction.Upscale(1),
				new ImageOrigin(friendId, group));
		assertThat(upscale.owner()).isEqualTo(friend.id());
		assertThatThrownBy(() -> jobs.act(friend.id(), grid.id(), new ImageAction.Upscale(2),
				new ImageOrigin(friendId, Place.group("discord", "another-channel"))))
			.isInstanceOf(ImageJobException.NotFound.class);
		assertThatThrownBy(() -> jobs.act(friend.id(), grid.id(), new ImageAction.Upscale(2),
				new ImageOrigin(friendId, Place.direct("discord"))))
			.isInstanceOf(ImageJobException.NotFound.class);
		jobs.await(upscale.id(), WAIT);
	}

}
