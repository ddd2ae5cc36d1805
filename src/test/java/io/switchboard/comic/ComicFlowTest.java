package io.switchboard.comic;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.fakes.FakeChatServer;
import io.switchboard.fakes.FakeHttpServer;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.FakeSdWebUi;
import io.switchboard.image.ImageJob;
import io.switchboard.image.ImageJobUpdated;
import io.switchboard.image.ImageJobs;
import io.switchboard.image.ImageOrigin;
import io.switchboard.image.JobKind;
import io.switchboard.image.JobState;
import io.switchboard.media.MediaStore;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.RecordingSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The whole comic flow against the fake model (OpenAI's wire format, scripted with story
 * and prompt JSON) and the fake Stable Diffusion WebUI: idea, story, one panel rewritten,
 * prompts, image knobs, four panels, reroll, vary, choice, strip; malformed answers
 * retried and then explained; steps out of order refused; and {@code /comic} making a
 * strip by itself and publishing it.
 */
@IntegrationTest
@Import(ComicFlowTest.Recorder.class)
@TestPropertySource(properties = { "db-scheduler.polling-interval=100ms", "switchboard.comic.run-poll-interval=200ms",
		"switchboard.image.banned-words=forbiddenword" })
class ComicFlowTest {

	static final Duration WAIT = Duration.ofSeconds(30);

	static final FakeOpenAi openai = FakeOpenAi.start("sk-comic");

	static final FakeSdWebUi sd = FakeSdWebUi.start();

	static final List<Object> events = new CopyOnWriteArrayList<>();

	static class Recorder {

		@EventListener
		public void finished(ComicFinished finished) {
			events.add(finished);
		}

		@EventListener
		public void failed(ComicFailed failed) {
			events.add(failed);
		}

		@EventListener
		public void image(ImageJobUpdated updated) {
			events.add(updated);
		}

	}

	@DynamicPropertySource
	static void fakes(DynamicPropertyRegistry registry) {
		registry.add("switchboard.llm.providers.fake-openai.type", () -> "openai");
		registry.add("switchboard.llm.providers.fake-openai.base-url", () -> openai.baseUrl().toString());
		registry.add("switchboard.llm.providers.fake-openai.api-key", openai::apiKey);
		registry.add("switchboard.llm.models.gpt-test.provider", () -> "fake-openai");
		registry.add("switchboard.llm.models.gpt-test.upstream-model", () -> "gpt-4o-mini");
		registry.add("switchboard.llm.models.gpt-test.context-window", () -> "32000");
		registry.add("switchboard.image.default-provider", () -> "sd");
		registry.add("switchboard.image.providers.sd.type", () -> "sd-webui");
		registry.add("switchboard.image.providers.sd.base-url", () -> sd.uri().toString());
		registry.add("switchboard.image.providers.sd.poll-interval", () -> "200ms");
	}

	// the fakes stay up for the whole run: PostgresComicFlowTest shares them
	@Autowired
	Comics comics;

	@Autowired
	Conversations conversations;

	@Autowired
	MediaStore media;

	@Autowired
	ImageJobs jobs;

	@Autowired
	Assistant assistant;

	@Autowired
	io.switchboard.usage.UsageLedger usage;

	User me;

	ImageOrigin studio;

	@BeforeEach
	void user() {
		openai.reset();
		String name = "u" + UUID.randomUUID().toString().substring(0, 8);
		me = conversations.identify(new PlatformUserId("web", name), "Painter");
		studio = new ImageOrigin(new PlatformUserId("web", name), Place.web());
	}

	Comic newComic() {
		return comics.create(me.id(),
				new ComicIdea("고양이가 바리스타가 되고 싶어 한다", "slice of life", "watercolor webtoon", null, null), studio);
	}

	Comic withPrompts() {
		Comic comic = newComic();
		openai.replyNext(ComicScripts.STORY, ComicScripts.PROMPTS);
		comics.writeStory(me.id(), comic.id());
		return comics.writePrompts(me.id(), comic.id());
	}

	/** Waits until every panel's current job has finished and the panel has an image. */
	Comic drawn(ComicId id) {
		await().atMost(WAIT).until(() -> {
			Comic now = comics.get(me.id(), id);
			return now.panels()
				.stream()
				.allMatch(panel -> panel.job() != null && panel.hasImage()
						&& jobs.find(me.id(), panel.job()).map(job -> job.state().finished()).orElse(false)
						&& panel.candidate() != null);
		});
		return comics.get(me.id(), id);
	}

	static List<FakeHttpServer.RecordedRequest> sdRequests(String path) {
		return sd.requests().stream().filter(request -> request.path().equals(path)).toList();
	}

	@Test
	void anIdeaBecomesAFinishedStripStepByStep() throws IOException {
		// 1 · idea
		Comic comic = newComic();
		assertThat(comic.stage()).isEqualTo(ComicStage.IDEA);
		assertThat(comic.layout()).isEqualTo(Layout.VERTICAL);
		assertThat(comics.storyModel(comic).name()).isEqualTo("gpt-test");

		// 2 · story, as validated JSON from the model
		openai.replyNext(ComicScripts.STORY);
		comic = comics.writeStory(me.id(), comic.id());
		assertThat(comic.stage()).isEqualTo(ComicStage.STORY);
		assertThat(comic.title()).isEqualTo("고양이 바리스타");
		assertThat(comic.panel(1).dialogue()).isEqualTo("나비: 나도 커피를 만들 거야!");
		assertThat(comic.panel(1).caption()).isEqualTo("어느 월요일 아침");
		assertThat(comic.panel(3).characters()).isEqualTo("Nabi, Owner");
		JsonNode asked = openai.lastRequestJson();
		assertThat(asked.path("model").asText()).isEqualTo("gpt-4o-mini");
		assertThat(openai.systemPrompt(asked)).contains("four-panel comics").contains("exactly 4 panels");
		assertThat(asked.toString()).contains("고양이가 바리스타가 되고 싶어 한다")
			.contains("slice of life")
			.contains("watercolor webtoon");

		// the user edits a field, then has one panel written anew; the rest stays
		List<StoryEdit.PanelText> texts = new java.util.ArrayList<>(comic.panels()
			.stream()
			.map(panel -> new StoryEdit.PanelText(panel.scene(), panel.characters(), panel.dialogue(), panel.caption()))
			.toList());
		texts.set(3, new StoryEdit.PanelText(texts.get(3).scene(), "Nabi", "나비: 냥냥!", "끝!"));
		comic = comics.editStory(me.id(), comic.id(), new StoryEdit("고양이 바리스타 나비", texts));
		assertThat(comic.title()).isEqualTo("고양이 바리스타 나비");
		assertThat(comic.panel(4).caption()).isEqualTo("끝!");
		openai.replyNext(ComicScripts.PANEL);
		comic = comics.rewritePanel(me.id(), comic.id(), 2);
		assertThat(comic.panel(2).scene()).isEqualTo("Nabi climbs the shelf and knocks over the coffee beans.");
		assertThat(comic.panel(2).caption()).isEqualTo("두 번째 시도");
		assertThat(comic.panel(4).dialogue()).isEqualTo("나비: 냥냥!");
		assertThat(openai.lastRequestJson().toString()).contains("Rewrite panel 2").contains("나비: 냥냥!");

		// 3 · prompts with a shared character sheet and style line
		openai.replyNext(ComicScripts.PROMPTS);
		comic = comics.writePrompts(me.id(), comic.id());
		assertThat(comic.stage()).isEqualTo(ComicStage.PROMPTS);
		assertThat(comic.styleLine()).isEqualTo("soft watercolor webtoon, pastel colours, clean line art");
		assertThat(comic.characterSheet()).startsWith("Nabi: small orange tabby cat");
		assertThat(comic.panel(1).negativePrompt()).isEqualTo("text, watermark");
		// the model wrote no negative prompt for panel 2: the configured default stands
		// in
		assertThat(comic.panel(2).negativePrompt()).contains("(worst quality:1.2)");
		assertThat(openai.systemPrompt(openai.lastRequestJson())).contains("character sheet").contains("style line");
		assertThat(openai.lastRequestJson().toString()).contains("Nabi climbs the shelf");

		// 4 · panels, with their image knobs
		comic = comics.updateSettings(me.id(), comic.id(),
				new PanelSettings(null, 564404008L, 30, 6.0, "DPM++ 2M Karras"));
		int drawnBefore = sdRequests("/sdapi/v1/txt2img").size();
		comic = comics.drawPanels(me.id(), comic.id());
		assertThat(comic.stage()).isEqualTo(ComicStage.PANELS);
		assertThat(comic.panels()).allSatisfy(panel -> assertThat(panel.job()).isNotNull());
		comic = drawn(comic.id());
		assertThat(comic.panels()).allSatisfy(panel -> assertThat(panel.candidate()).isEqualTo(1));
		// (other tests draw on the same fake: this comic's drawings are the ones with its
		// seed)
		List<FakeHttpServer.RecordedRequest> all = sdRequests("/sdapi/v1/txt2img");
		List<FakeHttpServer.RecordedRequest> drawings = all.subList(drawnBefore, all.size())
			.stream()
			.filter(drawing -> drawing.json().path("seed").asLong() == 564404008L)
			.toList();
		assertThat(drawings).hasSize(4);
		for (FakeHttpServer.RecordedRequest drawing : drawings) {
			JsonNode body = drawing.json();
			assertThat(body.path("seed").asLong()).isEqualTo(564404008L);
			assertThat(body.path("steps").asInt()).isEqualTo(30);
			assertThat(body.path("cfg_scale").asDouble()).isEqualTo(6.0);
			assertThat(body.path("sampler_name").asText()).isEqualTo("DPM++ 2M Karras");
		}
		assertThat(drawings.stream().map(drawing -> drawing.json().path("prompt").asText()))
			.containsExactlyInAnyOrderElementsOf(comic.panels().stream().map(Panel::prompt).toList());
		// the panels' jobs belong to the comic, not to any chat
		var panelOneJob = comic.panel(1).job();
		assertThat(events.stream()
			.filter(ImageJobUpdated.class::isInstance)
			.map(event -> ((ImageJobUpdated) event).job())
			.filter(job -> job.id().equals(panelOneJob))).isNotEmpty()
			.allSatisfy(job -> assertThat(job.origin().place().platform()).isEqualTo(Comics.PLATFORM));

		// reroll panel 2 and pick its third candidate
		ComicId id = comic.id();
		var firstJob = comic.panel(2).job();
		comic = comics.rerollPanel(me.id(), id, 2);
		assertThat(comic.panel(2).job()).isNotEqualTo(firstJob);
		assertThat(comic.panel(2).imageSha256()).as("the old image stays until a new one is chosen").isNotNull();
		comic = drawn(id);
		ImageJob rerolled = jobs.find(me.id(), comic.panel(2).job()).orElseThrow();
		assertThat(rerolled.kind()).isEqualTo(JobKind.REROLL);
		comic = comics.choose(me.id(), id, 2, 3);
		assertThat(comic.panel(2).candidate()).isEqualTo(3);
		assertThat(comic.panel(2).imageSha256()).isEqualTo(rerolled.candidates().get(2).image().sha256());

		// vary panel 3's second candidate subtly: img2img of that candidate
		int img2img = sdRequests("/sdapi/v1/img2img").size();
		comic = comics.varyPanel(me.id(), id, 3, 2, false);
		comic = drawn(id);
		ImageJob varied = jobs.find(me.id(), comic.panel(3).job()).orElseThrow();
		assertThat(varied.kind()).isEqualTo(JobKind.VARY_SUBTLE);
		assertThat(varied.parentIndex()).isEqualTo(2);
		assertThat(sdRequests("/sdapi/v1/img2img")).hasSize(img2img + 1);

		// 5 · the strip, vertical four-cut
		comic = comics.compose(me.id(), id, Layout.VERTICAL);
		assertThat(comic.stage()).isEqualTo(ComicStage.STRIP);
		BufferedImage panel = image(comic.panel(1).imageSha256());
		int cellH = (int) Math
			.round(512.0 * Math.max(0.5, Math.min(2.0, (double) panel.getHeight() / panel.getWidth())));
		BufferedImage strip = image(comic.stripSha256());
		assertThat(strip.getWidth()).isEqualTo(2 * StripRenderer.MARGIN + 512);
		assertThat(strip.getHeight())
			.isEqualTo(2 * StripRenderer.MARGIN + StripRenderer.TITLE_BAND + 4 * cellH + 3 * StripRenderer.GUTTER);
		assertThat(media.find(comic.stripSha256()).orElseThrow().mimeType()).isEqualTo("image/png");

		// reopened, every step is there; a 2x2 strip replaces the vertical one
		Comic reopened = comics.get(me.id(), id);
		assertThat(reopened.title()).isEqualTo("고양이 바리스타 나비");
		assertThat(reopened.panel(4).caption()).isEqualTo("끝!");
		assertThat(reopened.settings().seed()).isEqualTo(564404008L);
		assertThat(reopened.panel(2).candidate()).isEqualTo(3);
		Comic grid = comics.compose(me.id(), id, Layout.GRID);
		assertThat(grid.layout()).isEqualTo(Layout.GRID);
		assertThat(image(grid.stripSha256()).getWidth())
			.isEqualTo(2 * StripRenderer.MARGIN + 2 * 512 + StripRenderer.GUTTER);
		assertThat(comics.list(me.id(), 10, 0)).extracting(Comic::id).containsExactly(id);
		// the model calls are in the user's usage ledger like chat answers
		java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
		assertThat(usage.forUser(me.id().value(), today.minusDays(1), today.plusDays(1)))
			.filteredOn(row -> row.model().equals("gpt-test"))
			.singleElement()
			.satisfies(row -> assertThat(row.requests()).isEqualTo(3));
	}

	@Test
	void aMalformedStoryIsSentBackOnceWithWhatWasWrong() {
		Comic comic = newComic();
		openai.replyNext("Sure! Here is a comic about a cat: it is very funny.", ComicScripts.STORY);
		comic = comics.writeStory(me.id(), comic.id());
		assertThat(comic.title()).isEqualTo("고양이 바리스타");
		List<FakeHttpServer.RecordedRequest> calls = openai.requests();
		JsonNode retry = calls.getLast().json();
		JsonNode messages = retry.path("messages");
		assertThat(messages.get(messages.size() - 2).path("role").asText()).isEqualTo("assistant");
		assertThat(messages.get(messages.size() - 2).path("content").asText()).contains("Here is a comic");
		assertThat(messages.get(messages.size() - 1).path("content").asText())
			.contains("could not be used: the answer holds no JSON object");
	}

	@Test
	void aSecondMalformedAnswerIsExplainedAndChangesNothing() {
		Comic comic = newComic();
		openai.replyNext("{\"title\": \"Cats\"}", "{\"title\": \"Cats\", \"panels\": [{\"scene\": \"x\"}]}");
		ComicId id = comic.id();
		assertThatThrownBy(() -> comics.writeStory(me.id(), id)).isInstanceOf(ComicException.ModelFailed.class)
			.hasMessageContaining("did not write a story that could be used, twice in a row")
			.hasMessageContaining("has 1 panels")
			.hasMessageContaining("Nothing was changed");
		assertThat(openai.requests()).hasSize(2);
		Comic unchanged = comics.get(me.id(), id);
		assertThat(unchanged.stage()).isEqualTo(ComicStage.IDEA);
		assertThat(unchanged.title()).isNull();

		// a provider that refuses the key is explained too
		openai.failNext(FakeChatServer.Failure.UNAUTHORIZED);
		assertThatThrownBy(() -> comics.writeStory(me.id(), id)).isInstanceOf(ComicException.ModelFailed.class)
			.hasMessageContaining("credentials for this model were refused");
	}

	@Test
	void stepsOutOfOrderAndBadInputAreRefused() {
		Comic comic = newComic();
		ComicId id = comic.id();
		assertThatThrownBy(() -> comics.writePrompts(me.id(), id)).isInstanceOf(ComicException.NotReady.class)
			.hasMessageContaining("no story yet");
		assertThatThrownBy(() -> comics.drawPanels(me.id(), id)).isInstanceOf(ComicException.NotReady.class)
			.hasMessageContaining("no image prompts yet");
		assertThatThrownBy(() -> comics.compose(me.id(), id, Layout.GRID)).isInstanceOf(ComicException.NotReady.class)
			.hasMessageContaining("missing: panel 1, 2, 3, 4");
		assertThatThrownBy(() -> comics.rerollPanel(me.id(), id, 1)).isInstanceOf(ComicException.NotReady.class);
		assertThatThrownBy(() -> comics.create(me.id(), ComicIdea.of("  "), studio))
			.isInstanceOf(ComicException.Invalid.class)
			.hasMessage("The idea must not be empty.");
		assertThatThrownBy(() -> comics.create(me.id(), new ComicIdea("x", null, null, "gpt-9", null), studio))
			.isInstanceOf(ComicException.Invalid.class)
			.hasMessageContaining("There is no model called gpt-9");
		assertThatThrownBy(() -> comics.editStory(me.id(), id, new StoryEdit("t", List.of())))
			.isInstanceOf(ComicException.Invalid.class)
			.hasMessageContaining("exactly 4 panels");
		assertThatThrownBy(() -> comics.updateSettings(me.id(), id, new PanelSettings(null, null, 0, null, null)))
			.isInstanceOf(ComicException.Invalid.class)
			.hasMessageContaining("Steps go from 1 to 150");
		assertThatThrownBy(() -> comics.updateSettings(me.id(), id, new PanelSettings(null, null, null, 31.0, null)))
			.isInstanceOf(ComicException.Invalid.class);
		assertThatThrownBy(() -> comics.rewritePanel(me.id(), id, 5)).isInstanceOf(ComicException.Invalid.class);
		// someone else's comic is not there for them
		User other = conversations.identify(new PlatformUserId("line", "U" + UUID.randomUUID()), "Other");
		assertThatThrownBy(() -> comics.get(other.id(), id)).isInstanceOf(ComicException.NotFound.class);
		assertThatThrownBy(() -> comics.delete(other.id(), id)).isInstanceOf(ComicException.NotFound.class);
		assertThat(comics.get(me.id(), id).stage()).isEqualTo(ComicStage.IDEA);
		assertThat(openai.requests()).isEmpty();
	}

	@Test
	void aRefusedPanelPromptSaysWhichPanelAndWhatIsBeingDrawn() {
		Comic comic = withPrompts();
		List<PromptsEdit.PanelPrompt> prompts = new java.util.ArrayList<>(comic.panels()
			.stream()
			.map(panel -> new PromptsEdit.PanelPrompt(panel.prompt(), panel.negativePrompt()))
			.toList());
		prompts.set(2, new PromptsEdit.PanelPrompt("a forbiddenword in a cafe", ""));
		comic = comics.editPrompts(me.id(), comic.id(), new PromptsEdit("sheet", "style", prompts));
		ComicId id = comic.id();
		assertThatThrownBy(() -> comics.drawPanels(me.id(), id)).isInstanceOf(ComicException.ImageRefused.class)
			.hasMessageStartingWith("Panel 3: ")
			.hasMessageContaining("Panels 1-2 are being drawn.");
		Comic after = comics.get(me.id(), id);
		assertThat(after.panel(1).job()).isNotNull();
		assertThat(after.panel(3).job()).isNull();
	}

	@Test
	void slashComicMakesTheWholeStripByItselfAndPublishesIt() throws IOException {
		openai.replyNext(ComicScripts.STORY, ComicScripts.PROMPTS);
		PlatformUserId kim = new PlatformUserId("line", "U" + UUID.randomUUID());
		Place chat = Place.direct("line");
		RecordingSink sink = new RecordingSink();
		sink.receive(assistant, InboundMessage.text(kim, "Kim", chat, "/comic 고양이가 바리스타가 되고 싶어 한다"));
		assertThat(sink.notice().text()).contains("Comic #").contains("started").contains("고양이가 바리스타가 되고 싶어 한다");

		ComicFinished finished = await().atMost(WAIT)
			.until(() -> events.stream()
				.filter(ComicFinished.class::isInstance)
				.map(ComicFinished.class::cast)
				.filter(event -> event.origin().requester().equals(kim))
				.findFirst(), java.util.Optional::isPresent)
			.orElseThrow();
		assertThat(finished.origin().place()).isEqualTo(chat);
		assertThat(finished.title()).isEqualTo("고양이 바리스타");
		assertThat(finished.strip().mimeType()).isEqualTo("image/png");
		BufferedImage strip = image(finished.strip().sha256());
		assertThat(strip.getWidth()).isEqualTo(finished.strip().width()).isEqualTo(2 * StripRenderer.MARGIN + 512);
		User owner = conversations.findUser(kim).orElseThrow();
		Comic comic = comics.get(owner.id(), finished.comic());
		assertThat(comic.runState()).isEqualTo(RunState.FINISHED);
		assertThat(comic.stage()).isEqualTo(ComicStage.STRIP);
		assertThat(comic.stripSha256()).isEqualTo(finished.strip().sha256());
		assertThat(comic.panels()).allSatisfy(panel -> assertThat(panel.candidate()).isEqualTo(1));
		assertThat(comic.origin().place()).isEqualTo(chat);
		// its panels were drawn for the comic, never shown in the chat as loose grids
		assertThat(events.stream()
			.filter(ImageJobUpdated.class::isInstance)
			.map(event -> ((ImageJobUpdated) event).job())
			.filter(job -> job.owner().equals(owner.id()))).isNotEmpty()
			.allSatisfy(job -> assertThat(job.origin().place().platform()).isEqualTo(Comics.PLATFORM));
		// once finished it is a normal comic that can be edited
		assertThat(comics.compose(owner.id(), comic.id(), Layout.GRID).layout()).isEqualTo(Layout.GRID);
	}

	@Test
	void slashComicThatCannotBeMadeSaysWhy() {
		openai.replyNext("no", "still no");
		PlatformUserId lee = new PlatformUserId("line", "U" + UUID.randomUUID());
		RecordingSink sink = new RecordingSink();
		sink.receive(assistant,
				InboundMessage.text(lee, "Lee", Place.group("line", "C123"), "/comic a dragon's day off"));
		assertThat(sink.notice().text()).contains("started");
		ComicFailed failed = await().atMost(WAIT)
			.until(() -> events.stream()
				.filter(ComicFailed.class::isInstance)
				.map(ComicFailed.class::cast)
				.filter(event -> event.origin().requester().equals(lee))
				.findFirst(), java.util.Optional::isPresent)
			.orElseThrow();
		assertThat(failed.reason()).contains("twice in a row");
		assertThat(failed.origin().place()).isEqualTo(Place.group("line", "C123"));
		User owner = conversations.findUser(lee).orElseThrow();
		assertThat(comics.get(owner.id(), failed.comic()).runState()).isEqualTo(RunState.FAILED);
		assertThat(comics.get(owner.id(), failed.comic()).failureReason()).isEqualTo(failed.reason());

		RecordingSink empty = new RecordingSink();
		empty.receive(assistant, InboundMessage.text(lee, "Lee", Place.direct("line"), "/comic"));
		assertThat(empty.notice().text()).contains("Write an idea after `/comic`");
	}

	BufferedImage image(String sha256) throws IOException {
		return ImageIO.read(new ByteArrayInputStream(media.load(sha256).orElseThrow().bytes()));
	}

}
