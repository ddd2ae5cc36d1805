package io.switchboard.image;

import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.fakes.FakeComfyUi;
import io.switchboard.fakes.FakeHttpServer;
import io.switchboard.fakes.FakeHttpServer.RecordedRequest;
import io.switchboard.fakes.FakeMidjourneyProxy;
import io.switchboard.fakes.FakeOpenAiImages;
import io.switchboard.fakes.FakePictures;
import io.switchboard.fakes.FakeSdWebUi;
import io.switchboard.fakes.MultipartForm;
import io.switchboard.media.MediaStore;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Every image backend through the whole engine, each against a fake speaking its real
 * wire format: the Midjourney flow on each, and the failures (a banned prompt, a full
 * queue, a provider error, a timeout), the limits and the provider callback.
 */
@IntegrationTest
class ImageProvidersTest {

	static final Duration WAIT = Duration.ofSeconds(30);

	static final FakeSdWebUi sd = FakeSdWebUi.start("painter", "s3cret");

	static final FakeSdWebUi slowSd = FakeSdWebUi.start().drawTime(Duration.ofSeconds(4));

	static final FakeMidjourneyProxy mj = FakeMidjourneyProxy.start("mj-secret");

	static final FakeOpenAiImages openAi = FakeOpenAiImages.start("sk-test");

	static final FakeComfyUi comfy = FakeComfyUi.start();

	static final FakeHttpServer gone = new FakeHttpServer();

	static final URI goneUri = gone.uri();

	static {
		gone.close(); // nothing answers there any more
	}

	@DynamicPropertySource
	static void providers(DynamicPropertyRegistry registry) {
		Map<String, Object> settings = new java.util.LinkedHashMap<>();
		settings.put("default-provider", "sd");
		settings.put("max-attempts", 2);
		settings.put("retry-backoff", "100ms");
		settings.put("queue-recheck", "500ms");
		settings.put("per-user-concurrency", 2);
		settings.put("callback-base-url", "https://switchboard.example");
		settings.put("demo.duration", "3s");
		settings.put("providers.sd.type", "sd-webui");
		settings.put("providers.sd.base-url", sd.uri());
		settings.put("providers.sd.username", "painter");
		settings.put("providers.sd.password", "s3cret");
		settings.put("providers.sd.poll-interval", "200ms");
		settings.put("providers.slow.type", "sd-webui");
		settings.put("providers.slow.base-url", slowSd.uri());
		settings.put("providers.slow.timeout", "1s");
		settings.put("providers.slow.poll-interval", "200ms");
		settings.put("providers.mj.type", "midjourney-proxy");
		settings.put("providers.mj.base-url", mj.baseUrl());
		settings.put("providers.mj.api-key", "mj-secret");
		// only the notify hook can finish a job this quickly
		settings.put("providers.mj.poll-interval", "20s");
		settings.put("providers.mj.max-poll-interval", "20s");
		settings.put("providers.openai.type", "openai");
		settings.put("providers.openai.base-url", openAi.baseUrl());
		settings.put("providers.openai.api-key", "sk-test");
		settings.put("providers.openai.poll-interval", "200ms");
		settings.put("providers.dalle3.type", "openai");
		settings.put("providers.dalle3.base-url", openAi.baseUrl());
		settings.put("providers.dalle3.api-key", "sk-test");
		settings.put("providers.dalle3.model", "dall-e-3");
		settings.put("providers.dalle3.poll-interval", "200ms");
		settings.put("providers.dalle2.type", "openai");
		settings.put("providers.dalle2.base-url", openAi.baseUrl());
		settings.put("providers.dalle2.api-key", "sk-test");
		settings.put("providers.dalle2.model", "dall-e-2");
		settings.put("providers.dalle2.poll-interval", "200ms");
		settings.put("providers.badkey.type", "openai");
		settings.put("providers.badkey.base-url", openAi.baseUrl());
		settings.put("providers.badkey.api-key", "sk-wrong");
		settings.put("providers.comfy.type", "comfyui");
		settings.put("providers.comfy.base-url", comfy.uri());
		settings.put("providers.comfy.websocket-url", comfy.websocketUri().toString());
		settings.put("providers.comfy.poll-interval", "200ms");
		settings.put("providers.tiny.type", "demo");
		settings.put("providers.tiny.max-concurrent", 1);
		settings.put("providers.tiny.max-queued", 1);
		settings.put("providers.gone.type", "sd-webui");
		settings.put("providers.gone.base-url", goneUri);
		settings.put("providers.gone.connect-timeout", "1s");
		settings.forEach((key, value) -> registry.add("switchboard.image." + key, () -> value));
		registry.add("db-scheduler.polling-interval", () -> "100ms");
	}

	@AfterAll
	static void stopFakes() {
		sd.close();
		slowSd.close();
		mj.close();
		openAi.close();
		comfy.close();
	}

	@Autowired
	ImageJobs jobs;

	@Autowired
	Conversations conversations;

	@Autowired
	MediaStore media;

	@LocalServerPort
	int port;

	User me;

	ImageOrigin origin;

	@BeforeEach
	void user() {
		PlatformUserId id = new PlatformUserId("discord", "u" + UUID.randomUUID());
		me = conversations.identify(id, "Painter");
		origin = new ImageOrigin(id, Place.direct("discord"));
		mj.rewriteHooksTo(URI.create("http://127.0.0.1:" + port));
		sd.drawTime(Duration.ZERO);
		mj.workTime(Duration.ofMillis(300)).queueFull(false);
	}

	/** The jobs this test started through {@link #imagine} and {@link #act}. */
	final List<ImageJob> started = new java.util.ArrayList<>();

	/**
	 * No job of this test outlives it: the fakes' queued answers and draw times are
	 * shared by every test, and a job still polling or retrying would take the next
	 * test's answers.
	 */
	@AfterEach
	void settleTheJobsStarted() {
		for (ImageJob job : started) {
			if (!jobs.await(job.id(), Duration.ZERO).state().finished()) {
				try {
					jobs.cancel(me.id(), job.id());
				}
				catch (ImageJobException.NotAllowed finishedMeanwhile) {
					// it finished between the look and the cancel: nothing left running
				}
			}
		}
		for (ImageJob job : started) {
			jobs.await(job.id(), WAIT);
		}
		sd.drawTime(Duration.ZERO);
	}

	ImageJob imagine(String provider, String prompt) {
		ImageJob job = jobs.imagine(me.id(),
				new ImageRequest(prompt, null, new ImageSettings(provider, null, null, null, null, null, null, null)),
				origin);
		started.add(job);
		return job;
	}

	ImageJob succeeded(ImageJob job) {
		ImageJob done = jobs.await(job.id(), WAIT);
		assertThat(done.state()).as("%s: %s", job.id(), done.failureReason()).isEqualTo(JobState.SUCCEEDED);
		return done;
	}

	ImageJob failed(ImageJob job) {
		ImageJob done = jobs.await(job.id(), WAIT);
		assertThat(done.state()).isEqualTo(JobState.FAILED);
		assertThat(done.candidates()).isEmpty();
		return done;
	}

	ImageJob act(ImageJob job, String code) {
		ImageJob next = jobs.act(me.id(), job.id(), ImageAction.parse(code).orElseThrow(), origin);
		started.add(next);
		return next;
	}

	static List<RecordedRequest> requests(FakeHttpServer fake, String method, String path) {
		return fake.requests().stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
	}

	int width(ImageJob job, int candidate) {
		return job.candidates().get(candidate - 1).image().width();
	}

	// ------------------------------------------------------------- SD WebUI

	@Test
	void sdWebUiDrawsFourWithTxt2imgUpscalesWithExtrasAndVariesWithImg2img() {
		sd.reset();
		ImageJob origin1 = succeeded(jobs.imagine(me.id(),
				new ImageRequest("a comic panel of a cat", "watermark, text",
						new ImageSettings(null, "anything-v5", 256, 128, 564404008L, 30, 6.0, "DPM++ 2M Karras")),
				origin));
		assertThat(origin1.provider()).isEqualTo("sd");
		RecordedRequest txt2img = requests(sd, "POST", "/sdapi/v1/txt2img").getLast();
		assertThat(txt2img.header("Authorization"))
			.isEqualTo("Basic " + Base64.getEncoder().encodeToString("painter:s3cret".getBytes()));
		var body = txt2img.json();
		assertThat(body.path("prompt").asText()).isEqualTo("a comic panel of a cat");
		assertThat(body.path("negative_prompt").asText()).isEqualTo("watermark, text");
		assertThat(body.path("seed").asLong()).isEqualTo(564404008L);
		assertThat(body.path("steps").asInt()).isEqualTo(30);
		assertThat(body.path("cfg_scale").asDouble()).isEqualTo(6.0);
		assertThat(body.path("sampler_name").asText()).isEqualTo("DPM++ 2M Karras");
		assertThat(body.path("batch_size").asInt()).isEqualTo(4);
		assertThat(body.path("width").asInt()).isEqualTo(256);
		assertThat(body.path("override_settings").path("sd_model_checkpoint").asText()).isEqualTo("anything-v5");
		assertThat(origin1.candidates()).hasSize(4);
		assertThat(width(origin1, 1)).isEqualTo(256);

		ImageJob upscale = succeeded(act(origin1, "U3"));
		var extras = requests(sd, "POST", "/sdapi/v1/extra-single-image").getLast().json();
		assertThat(extras.path("upscaling_resize").asInt()).isEqualTo(2);
		assertThat(extras.path("upscaler_1").asText()).isEqualTo("R-ESRGAN 4x+");
		assertThat(Base64.getDecoder().decode(extras.path("image").asText()))
			.isEqualTo(media.load(origin1.candidates().get(2).image().sha256()).orElseThrow().bytes());
		assertThat(width(upscale, 1)).isEqualTo(512);

		ImageJob subtle = succeeded(act(upscale, "VS"));
		var img2img = requests(sd, "POST", "/sdapi/v1/img2img").getLast().json();
		assertThat(img2img.path("denoising_strength").asDouble()).isEqualTo(0.35);
		assertThat(img2img.path("init_images")).hasSize(1);
		assertThat(img2img.path("batch_size").asInt()).isEqualTo(4);
		assertThat(img2img.path("prompt").asText()).isEqualTo("a comic panel of a cat");
		assertThat(subtle.candidates()).hasSize(4);
		ImageJob strong = succeeded(act(upscale, "VX"));
		assertThat(requests(sd, "POST", "/sdapi/v1/img2img").getLast().json().path("denoising_strength").asDouble())
			.isEqualTo(0.75);
		assertThat(strong.candidates()).hasSize(4);
		succeeded(act(subtle, "U1"));
	}

	@Test
	void sdWebUiProgressIsReadWhileItDraws() {
		sd.drawTime(Duration.ofMillis(2500));
		ImageJob job = imagine("sd", "a slow painting");
		await().atMost(WAIT).until(() -> jobs.find(me.id(), job.id()).orElseThrow().progress() > 0);
		assertThat(jobs.find(me.id(), job.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
		assertThat(requests(sd, "GET", "/sdapi/v1/progress")).isNotEmpty();
		succeeded(job);
	}

	@Test
	void cancellingADrawingStopsTheWebUi() {
		sd.drawTime(Duration.ofSeconds(60));
		int before = sd.interrupts();
		ImageJob job = imagine("sd", "a painting nobody wants");
		await().atMost(WAIT).until(() -> jobs.find(me.id(), job.id()).orElseThrow().state() == JobState.RUNNING);
		jobs.cancel(me.id(), job.id());
		await().atMost(WAIT).until(() -> sd.interrupts() == before + 1);
		assertThat(jobs.find(me.id(), job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
	}

	@Test
	void aProviderErrorIsRetriedThenFailsWithTheReason() {
		sd.enqueue(FakeHttpServer.Reply.json(500, "{\"detail\":\"CUDA out of memory\"}"));
		sd.enqueue(FakeHttpServer.Reply.json(500, "{\"detail\":\"CUDA out of memory\"}"));
		ImageJob job = failed(imagine("sd", "too big to draw"));
		assertThat(job.failureReason()).contains("HTTP 500").contains("CUDA out of memory").contains("2 attempts");

		// once is not enough to fail: a second attempt succeeds
		sd.enqueue(FakeHttpServer.Reply.json(503, "{\"detail\":\"busy\"}"));
		succeeded(imagine("sd", "second time lucky"));

		ImageJob unreachable = failed(imagine("gone", "nobody there"));
		assertThat(unreachable.failureReason()).contains("cannot be reached");
	}

	@Test
	void aJobThatTakesLongerThanItsTimeoutFailsWithAClearReason() {
		ImageJob job = failed(imagine("slow", "a very slow painting"));
		assertThat(job.failureReason())
			.isEqualTo("The image provider slow did not finish within 1 second, so the job was stopped.");
	}

	@Test
	void perUserAndPerProviderLimitsQueueTheRest() {
		// the jobs that hold a slot draw far longer than the test can take to look (a
		// loaded machine included), and are cancelled to free it
		sd.drawTime(Duration.ofSeconds(60));
		ImageJob first = imagine("sd", "first");
		ImageJob second = imagine("sd", "second");
		// sd draws one at a time: the second waits in the queue while the first runs
		await().atMost(WAIT).until(() -> jobs.find(me.id(), first.id()).orElseThrow().state() == JobState.RUNNING);
		assertThat(jobs.find(me.id(), second.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
		jobs.cancel(me.id(), first.id());
		await().atMost(WAIT).until(() -> jobs.find(me.id(), second.id()).orElseThrow().state() != JobState.QUEUED);
		jobs.cancel(me.id(), second.id());
		sd.drawTime(Duration.ZERO);

		// a user's own limit (2) holds across providers with room: of three jobs on three
		// providers, two run and one waits (whichever: the queue keeps no order across
		// providers) until one of the two ends
		openAi.drawTime(Duration.ofSeconds(60));
		sd.drawTime(Duration.ofSeconds(60));
		comfy.workTime(Duration.ofSeconds(60));
		try {
			List<ImageJob> three = List.of(imagine("openai", "a"), imagine("sd", "b"), imagine("comfy", "c"));
			await().atMost(WAIT).until(() -> inState(three, JobState.QUEUED).size() == 1);
			ImageJob waiting = inState(three, JobState.QUEUED).getFirst();
			assertThat(three).filteredOn(job -> job.id() != waiting.id())
				.allSatisfy(job -> assertThat(jobs.find(me.id(), job.id()).orElseThrow().state().finished())
					.as("a running job")
					.isFalse());
			jobs.cancel(me.id(), three.stream().filter(job -> job.id() != waiting.id()).findFirst().orElseThrow().id());
			await().atMost(WAIT).until(() -> jobs.find(me.id(), waiting.id()).orElseThrow().state() != JobState.QUEUED);
		}
		finally {
			openAi.drawTime(Duration.ZERO);
			comfy.workTime(Duration.ofMillis(200));
		}
	}

	private List<ImageJob> inState(List<ImageJob> among, JobState state) {
		return among.stream().filter(job -> jobs.find(me.id(), job.id()).orElseThrow().state() == state).toList();
	}

	@Test
	void aFullQueueRefusesTheJobAndRecordsNothing() {
		ImageJob running = imagine("tiny", "one");
		await().atMost(WAIT).until(() -> jobs.find(me.id(), running.id()).orElseThrow().state() != JobState.QUEUED);
		ImageJob waiting = imagine("tiny", "two");
		int before = jobs.list(me.id(), 100, 0).size();
		assertThatThrownBy(() -> imagine("tiny", "three"))
			.isInstanceOfSatisfying(ImageJobException.Rejected.class,
					rejected -> assertThat(rejected.reason()).isEqualTo(ImageJobException.Rejected.Reason.QUEUE_FULL))
			.hasMessageContaining("queue of tiny is full");
		assertThat(jobs.list(me.id(), 100, 0)).hasSize(before);
		jobs.cancel(me.id(), running.id());
		jobs.cancel(me.id(), waiting.id());
	}

	// ------------------------------------------------------ midjourney-proxy

	@Test
	void midjourneyProxyImaginesSplitsTheGridAndActsThroughChangeAndAction() {
		mj.reset();
		long started = System.nanoTime();
		ImageJob grid = succeeded(jobs.imagine(me.id(), new ImageRequest("a koi pond", "people",
				new ImageSettings("mj", null, 1024, 576, 99L, null, null, null)), origin));
		// finished through the notify hook, long before the 20 s poll
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
		assertThat(mj.hookCalls()).contains(grid.providerTaskId());
		RecordedRequest imagine = requests(mj, "POST", "/mj/submit/imagine").getLast();
		assertThat(imagine.header("mj-api-secret")).isEqualTo("mj-secret");
		assertThat(imagine.json().path("prompt").asText()).isEqualTo("a koi pond --no people --ar 16:9 --seed 99");
		assertThat(imagine.json().path("notifyHook").asText())
			.startsWith("https://switchboard.example/api/images/hooks/mj?sig=");
		// the grid's quadrants, in order, are the candidates
		assertThat(grid.candidates()).hasSize(4);
		long seed = Math.abs(grid.providerTaskId().hashCode() % 1000);
		for (int i = 0; i < 4; i++) {
			var candidate = FakePictures
				.read(media.load(grid.candidates().get(i).image().sha256()).orElseThrow().bytes());
			var expected = FakePictures.read(FakePictures.png(64, 64, seed + i));
			assertThat(candidate.getWidth()).isEqualTo(64);
			assertThat(candidate.getRGB(40, 40)).isEqualTo(expected.getRGB(40, 40));
		}

		ImageJob upscale = succeeded(act(grid, "U2"));
		var change = requests(mj, "POST", "/mj/submit/change").getLast().json();
		assertThat(change.path("taskId").asText()).isEqualTo(grid.providerTaskId());
		assertThat(change.path("action").asText()).isEqualTo("UPSCALE");
		assertThat(change.path("index").asInt()).isEqualTo(2);
		assertThat(upscale.candidates()).hasSize(1);
		assertThat(width(upscale, 1)).isEqualTo(256);

		succeeded(act(upscale, "VX"));
		var action = requests(mj, "POST", "/mj/submit/action").getLast().json();
		assertThat(action.path("taskId").asText()).isEqualTo(upscale.providerTaskId());
		assertThat(action.path("customId").asText()).contains("::high_variation::");
		ImageJob subtle = succeeded(act(upscale, "VS"));
		assertThat(requests(mj, "POST", "/mj/submit/action").getLast().json().path("customId").asText())
			.contains("::low_variation::");
		assertThat(subtle.candidates()).hasSize(4);

		succeeded(act(grid, "V3"));
		change = requests(mj, "POST", "/mj/submit/change").getLast().json();
		assertThat(change.path("action").asText()).isEqualTo("VARIATION");
		assertThat(change.path("index").asInt()).isEqualTo(3);
		succeeded(act(subtle, "RR"));
		change = requests(mj, "POST", "/mj/submit/change").getLast().json();
		assertThat(change.path("action").asText()).isEqualTo("REROLL");
		assertThat(change.path("taskId").asText()).isEqualTo(subtle.providerTaskId());

		assertThatThrownBy(() -> act(grid, "S1")).isInstanceOf(ImageJobException.NotAllowed.class)
			.hasMessageContaining("Vary (Subtle)");
	}

	@Test
	void midjourneysExistingAndQueuedAnswersAreFollowedLikeASubmission() {
		ImageJob first = succeeded(imagine("mj", "a crane"));
		// 21: the same task exists already; 22: queued at the proxy. Both carry a task id
		// to follow.
		mj.enqueue(FakeHttpServer.Reply.json(200, "{\"code\":21,\"description\":\"任务已存在\",\"result\":\""
				+ first.providerTaskId() + "\",\"properties\":{}}"));
		ImageJob existing = succeeded(imagine("mj", "a crane"));
		assertThat(existing.providerTaskId()).isEqualTo(first.providerTaskId());
		mj.enqueue(FakeHttpServer.Reply.json(200, "{\"code\":22,\"description\":\"排队中，前面还有1个任务\",\"result\":\""
				+ first.providerTaskId() + "\",\"properties\":{\"numberOfQueues\":1}}"));
		assertThat(succeeded(imagine("mj", "a crane")).candidates()).hasSize(4);
	}

	@Test
	void aPromptMidjourneyBansFailsWithItsReason() {
		ImageJob job = failed(imagine("mj", "a badword here"));
		assertThat(job.failureReason()).contains("Midjourney refused the prompt").contains("badword");
	}

	@Test
	void midjourneysFullQueueIsRetriedThenReported() {
		mj.queueFull(true);
		ImageJob job = failed(imagine("mj", "a busy day"));
		assertThat(job.failureReason()).contains("queue is full");
	}

	@Test
	void aForgedCallbackIsRefused() {
		var response = new org.springframework.web.client.RestTemplate();
		assertThatThrownBy(() -> response.postForEntity("http://127.0.0.1:" + port + "/api/images/hooks/mj?sig=forged",
				Map.of("id", "1"), String.class))
			.hasMessageContaining("403");
	}

	// ---------------------------------------------------------------- OpenAI

	@Test
	void gptImageDrawsFourInOneCallAndVariesThroughEdits() {
		openAi.reset();
		ImageJob grid = succeeded(jobs.imagine(me.id(), new ImageRequest("a watercolor fox", "blur",
				new ImageSettings("openai", null, null, null, null, null, null, null)), origin));
		List<RecordedRequest> calls = requests(openAi, "POST", "/v1/images/generations");
		assertThat(calls).hasSize(1);
		var body = calls.getFirst().json();
		assertThat(body.path("model").asText()).isEqualTo("gpt-image-1");
		assertThat(body.path("n").asInt()).isEqualTo(4);
		assertThat(body.path("size").asText()).isEqualTo("1024x1024");
		assertThat(body.has("response_format")).isFalse();
		assertThat(body.path("prompt").asText()).contains("a watercolor fox").contains("Avoid: blur");
		assertThat(calls.getFirst().header("Authorization")).isEqualTo("Bearer sk-test");
		assertThat(grid.candidates()).hasSize(4);

		ImageJob subtle = succeeded(act(grid, "S2"));
		RecordedRequest edit = requests(openAi, "POST", "/v1/images/edits").getLast();
		Map<String, MultipartForm.Part> form = MultipartForm.parse(edit.header("Content-Type"), edit.body());
		assertThat(form.get("model").text()).isEqualTo("gpt-image-1");
		assertThat(form.get("input_fidelity").text()).isEqualTo("high");
		assertThat(form.get("n").text()).isEqualTo("4");
		assertThat(form.get("image").bytes())
			.isEqualTo(media.load(grid.candidates().get(1).image().sha256()).orElseThrow().bytes());
		assertThat(subtle.candidates()).hasSize(4);
		succeeded(act(grid, "V1"));
		RecordedRequest strong = requests(openAi, "POST", "/v1/images/edits").getLast();
		assertThat(MultipartForm.parse(strong.header("Content-Type"), strong.body()).get("input_fidelity").text())
			.isEqualTo("low");

		int before = openAi.requests().size();
		ImageJob upscale = succeeded(act(grid, "U4"));
		assertThat(openAi.requests()).hasSize(before); // enlarged here: OpenAI has no
														// upscaler
		assertThat(width(upscale, 1)).isEqualTo(2048);
	}

	@Test
	void dallE3MakesOneImagePerCallSoFourCallsGoOutSideBySide() {
		openAi.reset();
		// long enough that calls made one after another could not all arrive within it,
		// even on a busy machine
		openAi.drawTime(Duration.ofSeconds(2));
		try {
			ImageJob grid = succeeded(imagine("dalle3", "a paper boat"));
			List<RecordedRequest> calls = requests(openAi, "POST", "/v1/images/generations");
			assertThat(calls).hasSize(4);
			assertThat(calls).allSatisfy(call -> {
				assertThat(call.json().path("n").asInt()).isEqualTo(1);
				assertThat(call.json().path("model").asText()).isEqualTo("dall-e-3");
				assertThat(call.json().path("response_format").asText()).isEqualTo("b64_json");
			});
			// side by side: all four arrived before the first answer could have
			long spread = calls.getLast().receivedAtNanos() - calls.getFirst().receivedAtNanos();
			assertThat(Duration.ofNanos(spread)).isLessThan(Duration.ofSeconds(2));
			assertThat(grid.candidates()).hasSize(4);
			assertThatThrownBy(() -> act(grid, "V1")).isInstanceOf(ImageJobException.NotAllowed.class)
				.hasMessageContaining("dall-e-3 cannot edit");
		}
		finally {
			openAi.drawTime(Duration.ZERO);
		}
	}

	@Test
	void dallE2VariesThroughEditsWithAMaskAndRefusesSizesItDoesNotMake() {
		ImageJob grid = succeeded(jobs.imagine(me.id(),
				new ImageRequest("a kite", null, new ImageSettings("dalle2", null, 512, 512, null, null, null, null)),
				origin));
		succeeded(act(grid, "S1"));
		RecordedRequest edit = requests(openAi, "POST", "/v1/images/edits").getLast();
		Map<String, MultipartForm.Part> form = MultipartForm.parse(edit.header("Content-Type"), edit.body());
		assertThat(form.get("model").text()).isEqualTo("dall-e-2");
		assertThat(form.get("mask")).isNotNull();
		assertThat(form.get("size").text()).isEqualTo("512x512");
		assertThatThrownBy(
				() -> jobs.imagine(me.id(),
						new ImageRequest("a kite", null,
								new ImageSettings("dalle2", null, 640, 480, null, null, null, null)),
						origin))
			.isInstanceOf(ImageJobException.Rejected.class)
			.hasMessageContaining("dall-e-2 draws");
	}

	@Test
	void openAisContentPolicyAndARefusedKeyFailWithReasonsAUserCanRead() {
		ImageJob refused = failed(imagine("openai", "something forbidden"));
		assertThat(refused.failureReason()).contains("refused the prompt").contains("safety system");
		assertThat(refused.failureReason()).doesNotContain("attempts"); // not retried
		ImageJob badKey = failed(imagine("badkey", "anything"));
		assertThat(badKey.failureReason()).contains("refused this server's credentials");
	}

	// --------------------------------------------------------------- ComfyUI

	@Test
	void comfyUiFillsItsWorkflowTemplatesAndFetchesTheResults() {
		ImageJob grid = succeeded(jobs.imagine(me.id(), new ImageRequest("a misty forest", "people",
				new ImageSettings("comfy", null, 192, 128, 1234L, 25, 7.5, "dpmpp_2m")), origin));
		var graph = comfy.lastGraph();
		assertThat(graph.path("6").path("inputs").path("text").asText()).isEqualTo("a misty forest");
		assertThat(graph.path("7").path("inputs").path("text").asText()).isEqualTo("people");
		assertThat(graph.path("3").path("inputs").path("seed").isNumber()).isTrue();
		assertThat(graph.path("3").path("inputs").path("seed").asLong()).isEqualTo(1234L);
		assertThat(graph.path("3").path("inputs").path("steps").asInt()).isEqualTo(25);
		assertThat(graph.path("3").path("inputs").path("cfg").asDouble()).isEqualTo(7.5);
		assertThat(graph.path("3").path("inputs").path("sampler_name").asText()).isEqualTo("dpmpp_2m");
		assertThat(graph.path("5").path("inputs").path("batch_size").asInt()).isEqualTo(4);
		assertThat(grid.candidates()).hasSize(4);
		assertThat(width(grid, 1)).isEqualTo(192);
		assertThat(requests(comfy, "GET", "/view")).hasSizeGreaterThanOrEqualTo(4);

		ImageJob upscale = succeeded(act(grid, "U2"));
		assertThat(requests(comfy, "POST", "/upload/image")).isNotEmpty();
		assertThat(comfy.lastGraph().path("11").path("class_type").asText()).isEqualTo("ImageScaleBy");
		assertThat(width(upscale, 1)).isEqualTo(384);

		ImageJob subtle = succeeded(act(upscale, "VS"));
		assertThat(comfy.lastGraph().path("3").path("inputs").path("denoise").asDouble()).isEqualTo(0.35);
		assertThat(comfy.lastGraph().path("10").path("inputs").path("image").asText()).startsWith("switchboard-");
		assertThat(subtle.candidates()).hasSize(4);
	}

	@Test
	void comfyUiProgressComesFromItsWebsocket() {
		comfy.workTime(Duration.ofMillis(3000));
		try {
			ImageJob job = jobs.imagine(me.id(), new ImageRequest("a slow dawn", null,
					new ImageSettings("comfy", null, 64, 64, null, null, null, null)), origin);
			await().atMost(WAIT).until(() -> jobs.find(me.id(), job.id()).orElseThrow().progress() > 0);
			ImageJob working = jobs.find(me.id(), job.id()).orElseThrow();
			assertThat(working.state()).isEqualTo(JobState.RUNNING);
			assertThat(working.progress()).isBetween(10, 99);
			assertThat(succeeded(job).progress()).isEqualTo(100);
		}
		finally {
			comfy.workTime(Duration.ofMillis(200));
		}
	}

	@Test
	void cancellingARunningComfyUiPromptInterruptsIt() {
		comfy.workTime(Duration.ofMillis(3000));
		try {
			ImageJob running = jobs.imagine(me.id(), new ImageRequest("a long night", null,
					new ImageSettings("comfy", null, 64, 64, null, null, null, null)), origin);
			await().atMost(WAIT)
				.until(() -> jobs.find(me.id(), running.id()).orElseThrow().state() == JobState.RUNNING);
			String promptId = jobs.find(me.id(), running.id()).orElseThrow().providerTaskId();
			jobs.cancel(me.id(), running.id());
			await().atMost(WAIT).until(() -> !requests(comfy, "POST", "/interrupt").isEmpty());
			assertThat(requests(comfy, "POST", "/interrupt").getLast().json().path("prompt_id").asText())
				.isEqualTo(promptId);
			assertThat(jobs.find(me.id(), running.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
		}
		finally {
			comfy.workTime(Duration.ofMillis(200));
		}
	}

}
