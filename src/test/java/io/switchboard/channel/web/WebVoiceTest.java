package io.switchboard.channel.web;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.FilePayload;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.UserRole;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.FakeSpeech;
import io.switchboard.fakes.FakeTranscriptions;
import io.switchboard.fakes.Sounds;
import io.switchboard.storage.Images;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.WebSession;
import io.switchboard.usage.UsageLedger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.switchboard.channel.web.BrowserRig.ready;
import static io.switchboard.channel.web.BrowserRig.screenshotFullPage;
import static io.switchboard.channel.web.BrowserRig.seriousAccessibilityViolations;
import static io.switchboard.channel.web.BrowserRig.signIn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Voice messages on the chat page, against the fake OpenAI chat and transcription
 * servers: an uploaded audio file and a recording from Chromium's fake microphone (fed a
 * generated WAV) are answered as their words, with what was heard shown above the answer;
 * a clip too long, too large or not audio is refused with the reason and nothing is
 * stored. The page with its voice controls passes axe.
 */
@IntegrationTest
class WebVoiceTest {

	static final FakeOpenAi openai = FakeOpenAi.start("sk-web-voice");

	static final FakeTranscriptions whisper = FakeTranscriptions.start("sk-web-voice");

	static final FakeSpeech tts = FakeSpeech.start("sk-web-tts");

	@TempDir
	static Path temp;

	@RegisterExtension
	static final BrowserRig rig = new BrowserRig(openai, whisper, tts);

	@DynamicPropertySource
	static void fakes(DynamicPropertyRegistry registry) {
		BrowserRig.fakeModel(registry, openai);
		registry.add("switchboard.llm.providers.whisper.type", () -> "openai");
		registry.add("switchboard.llm.providers.whisper.base-url", () -> whisper.baseUrl().toString());
		registry.add("switchboard.llm.providers.whisper.api-key", () -> "sk-web-voice");
		registry.add("switchboard.llm.default-model", () -> "gpt-test");
		registry.add("switchboard.voice.provider", () -> "whisper");
		// small limits, so that a generated WAV can cross each one alone (8 kHz 16-bit
		// mono is 16 KB a second)
		registry.add("switchboard.voice.max-size", () -> "64KB");
		registry.add("switchboard.voice.max-duration", () -> "3s");
		registry.add("switchboard.llm.providers.tts.type", () -> "openai");
		registry.add("switchboard.llm.providers.tts.base-url", () -> tts.baseUrl().toString());
		registry.add("switchboard.llm.providers.tts.api-key", () -> "sk-web-tts");
		registry.add("switchboard.voice.speech.provider", () -> "tts");
		registry.add("switchboard.voice.speech.max-characters", () -> "100");
		registry.add("switchboard.voice.speech.price-per-million-characters", () -> "15");
	}

	@LocalServerPort
	int port;

	@Autowired
	WebAccounts accounts;

	@Autowired
	Conversations conversations;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	UsageLedger ledger;

	@Autowired
	io.micrometer.core.instrument.MeterRegistry meters;

	@BeforeEach
	void fresh() {
		openai.reset();
		whisper.reset();
		tts.reset();
		synchronized (WebVoiceTest.class) {
			if (accounts.needsSetup()) {
				accounts.createFirstAdmin("ada", "Ada", "correct horse");
			}
		}
	}

	@Test
	void anUploadedClipIsAnsweredAsItsWordsWithWhatWasHeardFirst() throws IOException {
		WebSession page = member("uploader");
		byte[] wav = Sounds.sineWav(2, 440);
		whisper.hears("What is the capital of Taiwan?");

		HttpResponse<String> sent = page.postMultipart("/chat/messages", Map.of("clientId", "voice-upload-1"), "audio",
				"question.wav", wav);

		assertThat(sent.statusCode()).isEqualTo(200);
		String stream = sent.body();
		assertThat(stream).contains("event:notice").contains("what I heard: What is the capital of Taiwan?");
		assertThat(stream).contains("event:done").contains("Echo: What is the capital of Taiwan?");
		assertThat(stream.indexOf("what I heard")).isLessThan(stream.indexOf("event:done"));
		// the model was asked the words; the clip is kept with them; its seconds are
		// billed
		assertThat(openai.lastRequestJson().toString()).contains("What is the capital of Taiwan?");
		assertThat(whisper.uploads()).singleElement()
			.satisfies(upload -> assertThat(upload.get("file").bytes()).isEqualTo(wav));
		assertThat(jdbc.sql("SELECT transcript FROM voice_clips WHERE bytes = ?").param(wav).query(String.class).list())
			.containsExactly("What is the capital of Taiwan?");
		long id = conversations.findUser(new PlatformUserId("web", "uploader")).orElseThrow().id().value();
		assertThat(ledger.audioSeconds(id, LocalDate.now(ZoneOffset.UTC))).isEqualTo(2);
	}

	@Test
	void aClipTooLongTooLargeOrNotAudioIsRefusedAndNothingIsStored() throws IOException {
		WebSession page = member("refused");
		long clipsBefore = clips();

		HttpResponse<String> tooLong = page.postMultipart("/chat/messages", Map.of(), "audio", "long.wav",
				Sounds.sineWav(3.5, 440));
		assertThat(tooLong.statusCode()).isEqualTo(400);
		assertThat(tooLong.body()).contains("The voice message is 0:04 long; this server listens to 0:03 at most.");

		// the page's own measure counts when the file has no length in it
		HttpResponse<String> measured = page.postMultipart("/chat/messages", Map.of("audioMillis", "9000"), "audio",
				"voice.webm", Sounds.header("webm"));
		assertThat(measured.statusCode()).isEqualTo(400);
		assertThat(measured.body()).contains("0:09 long");

		HttpResponse<String> tooLarge = page.postMultipart("/chat/messages", Map.of(), "audio", "big.wav",
				Sounds.sineWav(4.5, 440));
		assertThat(tooLarge.statusCode()).isEqualTo(400);
		assertThat(tooLarge.body()).contains("larger than 64 KB");

		HttpResponse<String> notAudio = page.postMultipart("/chat/messages", Map.of(), "audio", "song.mp3",
				Images.png(8, 8));
		assertThat(notAudio.statusCode()).isEqualTo(400);
		assertThat(notAudio.body()).contains("That is not audio I can listen to");

		HttpResponse<String> withText = page.postMultipart("/chat/messages", Map.of("text", "and this"), "audio",
				"voice.wav", Sounds.sineWav(1, 440));
		assertThat(withText.statusCode()).isEqualTo(400);
		assertThat(withText.body()).contains("Send a voice message on its own");

		assertThat(whisper.requests()).isEmpty();
		assertThat(openai.requests()).isEmpty();
		assertThat(clips()).isEqualTo(clipsBefore);
		long id = conversations.findUser(new PlatformUserId("web", "refused")).orElseThrow().id().value();
		assertThat(conversations.ownAndPublicSessions(new io.switchboard.conversation.UserId(id), 10, 0)
			.stream()
			.filter(session -> session.isOwnedBy(new io.switchboard.conversation.UserId(id)))
			.toList()).isEmpty();
	}

	@Test
	void silenceIsRefusedWithAPlainMessage() throws IOException {
		WebSession page = member("quiet");
		whisper.hears("");

		HttpResponse<String> silent = page.postMultipart("/chat/messages", Map.of(), "audio", "quiet.wav",
				Sounds.sineWav(1, 220));

		assertThat(silent.statusCode()).isEqualTo(400);
		assertThat(silent.body()).contains("I heard no words in that voice message");
		assertThat(openai.requests()).isEmpty();
	}

	@Test
	void aRecordingFromTheMicrophoneAndAnUploadAreAnsweredOnThePage() throws IOException {
		// Chromium's fake microphone plays this file in a loop
		Path spoken = temp.resolve("spoken.wav");
		Files.write(spoken, Sounds.sineWav(2, 440));
		microphonePlaying(spoken);
		member("speaker");
		try (BrowserContext context = rig.desktop(port)) {
			context.grantPermissions(List.of("microphone"));
			Page page = signIn(context, "speaker", "password-speaker");
			ready(page);
			PlaywrightAssertions.assertThat(page.locator("#record")).isVisible();

			// record a moment, then stop: it is sent, heard and answered
			whisper.hears("Tell me about tea.");
			page.click("#record");
			PlaywrightAssertions.assertThat(page.locator("#record")).hasAttribute("aria-pressed", "true");
			page.waitForTimeout(1500);
			page.click("#record");
			Locator heard = page.locator(".message.notice").first();
			PlaywrightAssertions.assertThat(heard)
				.containsText("what I heard: Tell me about tea.",
						new LocatorAssertions.ContainsTextOptions().setTimeout(15_000));
			PlaywrightAssertions.assertThat(page.locator(".message.assistant").last().locator(".body"))
				.hasText("Echo: Tell me about tea.");
			PlaywrightAssertions.assertThat(page.locator(".message.user.voice audio")).hasCount(1);
			// what the browser recorded went up as WebM, and is kept with its words
			assertThat(whisper.uploads()).singleElement()
				.satisfies(upload -> assertThat(upload.get("file").fileName()).endsWith(".webm"));
			assertThat(jdbc.sql("SELECT mime_type FROM voice_clips WHERE transcript = ?")
				.param("Tell me about tea.")
				.query(String.class)
				.list()).containsExactly("audio/webm");
			screenshotFullPage(page, "voice-recorded.png");

			// an audio file chosen from the disk is sent at once
			whisper.hears("And coffee?");
			page.setInputFiles("#audio-input", new FilePayload("coffee.wav", "audio/wav", Sounds.sineWav(1, 330)));
			PlaywrightAssertions.assertThat(page.locator(".message.assistant").last().locator(".body"))
				.hasText("Echo: And coffee?");
			PlaywrightAssertions.assertThat(page.locator(".message.notice").last())
				.containsText("what I heard: And coffee?");

			// a file that is not audio: the reason shows, and nothing is added to the
			// session
			page.setInputFiles("#audio-input", new FilePayload("song.mp3", "audio/mpeg", Images.png(8, 8)));
			PlaywrightAssertions.assertThat(page.locator(".message.error").last())
				.containsText("That is not audio I can listen to");
			screenshotFullPage(page, "voice-upload.png");

			// after a reload the conversation holds the words as asked
			page.reload();
			PlaywrightAssertions.assertThat(page.locator(".message.user")).hasCount(2);
			PlaywrightAssertions.assertThat(page.locator(".message.user").first()).hasText("Tell me about tea.");

			assertThat(seriousAccessibilityViolations(page)).as("serious or critical accessibility violations")
				.isEmpty();
		}
	}

	@Test
	void withSpokenAnswersOnTheAnswerComesWithAPlayerForEachPiece() throws IOException {
		WebSession page = member("listener");
		long id = conversations.findUser(new PlatformUserId("web", "listener")).orElseThrow().id().value();

		HttpResponse<String> on = page.postMultipart("/chat/messages", Map.of("text", "/user voice on"), null, null,
				null);
		assertThat(on.body()).contains("Spoken answers on");

		// a long answer is spoken in pieces of at most 100 characters, split after
		// sentences
		String answer = "Tea is a drink made from leaves. " + "It is brewed in hot water for a few minutes. ".repeat(3)
				+ "Milk is optional.";
		openai.reply(answer);
		String stream = page.postMultipart("/chat/messages", Map.of("text", "What is tea?"), null, null, null).body();
		assertThat(stream).contains("event:done");
		List<String> links = new java.util.ArrayList<>();
		java.util.regex.Matcher found = java.util.regex.Pattern
			.compile("/voice/speech/[0-9]+/[0-9]+\\.mp3\\?exp=[0-9]+&sig=[A-Za-z0-9_-]+")
			.matcher(stream.replace("\\u0026", "&"));
		while (found.find()) {
			links.add(found.group());
		}
		List<String> inputs = tts.spoken().stream().map(spoken -> spoken.path("input").asText()).toList();
		assertThat(inputs).hasSizeGreaterThan(1)
			.allSatisfy(input -> assertThat(input.length()).isLessThanOrEqualTo(100));
		assertThat(String.join(" ", inputs)).isEqualTo(answer.strip());
		assertThat(tts.spoken()).allSatisfy(spoken -> {
			assertThat(spoken.path("model").asText()).isEqualTo("tts-1");
			assertThat(spoken.path("voice").asText()).isEqualTo("alloy");
		});
		assertThat(links).hasSize(inputs.size());

		// the links play without a sign-in (LINE fetches them so), and only as signed
		HttpResponse<byte[]> first = new WebSession(port).getBytes(links.getFirst());
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.headers().firstValue("Content-Type")).hasValue("audio/mpeg");
		assertThat(first.body()).isEqualTo(FakeSpeech.audioFor(inputs.getFirst()));
		assertThat(new WebSession(port).getBytes(links.getFirst().replaceAll("sig=.*", "sig=forged")).statusCode())
			.isEqualTo(403);

		// characters priced per million, the pieces' seconds under the speech model
		long characters = inputs.stream().mapToLong(String::length).sum();
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		assertThat(ledger.forUser(id, today, today)).filteredOn(row -> row.model().equals("tts-1"))
			.singleElement()
			.satisfies(row -> assertThat(row.costNanos()).isEqualTo(characters * 15_000));
		assertThat(ledger.audioSeconds(id, today)).isPositive();

		// off again: text only, nothing spoken
		page.postMultipart("/chat/messages", Map.of("text", "/user voice off"), null, null, null);
		tts.reset();
		String quiet = page.postMultipart("/chat/messages", Map.of("text", "And coffee?"), null, null, null).body();
		assertThat(quiet).contains("event:done").doesNotContain("/voice/speech/");
		assertThat(tts.spoken()).isEmpty();
	}

	@Test
	void aReloadAndEveryPageOfHistoryShowAPlayerUnderEachSpokenAnswer() throws IOException {
		Path spoken = temp.resolve("spoken.wav");
		Files.write(spoken, Sounds.sineWav(2, 440));
		microphonePlaying(spoken);
		WebSession http = member("rewinder");
		http.postMultipart("/chat/messages", Map.of("text", "/user voice on"), null, null, null);
		String answer = "Kites fly on the wind. " + "A long line lets them climb higher and higher. ".repeat(2)
				+ "Hold on tight.";
		openai.reply(answer);
		String first = http.postMultipart("/chat/messages", Map.of("text", "Tell me about kites."), null, null, null)
			.body();
		assertThat(first).contains("/voice/speech/");
		java.util.regex.Matcher session = java.util.regex.Pattern.compile("\"sessionId\":([0-9]+)").matcher(first);
		assertThat(session.find()).isTrue();
		String sessionId = session.group(1);
		int pieces = tts.spoken().size();
		assertThat(pieces).isGreaterThan(1);
		// an answer not spoken (voice off again) keeps showing as text alone
		http.postMultipart("/chat/messages", Map.of("text", "/user voice off"), null, null, null);
		assertThat(http
			.postMultipart("/chat/messages", Map.of("text", "And balloons?", "sessionId", sessionId), null, null, null)
			.body()).contains("event:done").doesNotContain("/voice/speech/");

		try (BrowserContext context = rig.desktop(port)) {
			Page page = signIn(context, "rewinder", "password-rewinder");
			page.navigate("/sessions/" + sessionId);
			ready(page);

			// the page as loaded: the spoken answer has its players, the other none
			Locator spokenAnswer = page.locator(".message.assistant").first();
			Locator textAnswer = page.locator(".message.assistant").last();
			PlaywrightAssertions.assertThat(page.locator(".message.assistant")).hasCount(2);
			PlaywrightAssertions.assertThat(spokenAnswer.locator("audio")).hasCount(pieces);
			PlaywrightAssertions.assertThat(textAnswer.locator("audio")).hasCount(0);
			PlaywrightAssertions.assertThat(spokenAnswer.locator("audio").first())
				.hasAttribute("aria-label", "The answer, spoken (part 1 of " + pieces + ")");
			// each player's link plays the kept piece
			Object fetched = page.evaluate("async () => Promise.all([...document.querySelectorAll("
					+ "'.message.assistant audio')].map(async a => { const r = await fetch(a.src); "
					+ "return r.status + ' ' + r.headers.get('content-type') + ' ' + (await r.arrayBuffer()).byteLength; }))");
			List<String> inputs = tts.spoken().stream().map(asked -> asked.path("input").asText()).toList();
			assertThat(fetched).isEqualTo(
					inputs.stream().map(input -> "200 audio/mpeg " + FakeSpeech.audioFor(input).length).toList());
			screenshotFullPage(page, "voice-reloaded.png");

			// a page of history around the answer (a search hit's link) shows them too
			String answerId = spokenAnswer.getAttribute("id").substring(1);
			page.navigate("/sessions/" + sessionId + "?at=" + answerId);
			PlaywrightAssertions.assertThat(page.locator("#m" + answerId + " audio")).hasCount(pieces);
		}
	}

	@Test
	void whenTheSpeechModelFailsTheAnswerStillComesAsTextAndNothingSpokenIsBilled() {
		WebSession page = member("unspoken");
		long id = conversations.findUser(new PlatformUserId("web", "unspoken")).orElseThrow().id().value();
		page.postMultipart("/chat/messages", Map.of("text", "/user voice on"), null, null, null);
		double failedBefore = failedSpeech();

		tts.failNext();
		String stream = page.postMultipart("/chat/messages", Map.of("text", "What is milk?"), null, null, null).body();

		assertThat(stream).contains("event:done").contains("Echo: What is milk?").doesNotContain("/voice/speech/");
		assertThat(tts.spoken()).hasSize(1);
		assertThat(failedSpeech()).isEqualTo(failedBefore + 1);
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		assertThat(ledger.forUser(id, today, today)).noneSatisfy(row -> assertThat(row.model()).isEqualTo("tts-1"));
		assertThat(ledger.audioSeconds(id, today)).isZero();
		assertThat(jdbc.sql("SELECT COUNT(*) FROM voice_speech WHERE user_id = ?").param(id).query(Long.class).single())
			.isZero();
		// the page as loaded later has the answer, and no player
		HttpResponse<String> home = page.get("/");
		String html = home.statusCode() == 302
				? page.get(java.net.URI.create(home.headers().firstValue("Location").orElseThrow()).getPath()).body()
				: home.body();
		assertThat(html).contains("Echo: What is milk?").doesNotContain("<audio");
	}

	private double failedSpeech() {
		io.micrometer.core.instrument.Counter failed = meters.find("switchboard_voice_speech_total")
			.tag("outcome", "failed")
			.counter();
		return failed == null ? 0 : failed.count();
	}

	/**
	 * Chromium started with its fake microphone playing a file in a loop; a browser
	 * started already keeps the file it was given (each test writes the same).
	 */
	private static void microphonePlaying(Path spoken) {
		rig.browser(List.of("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
				"--use-file-for-fake-audio-capture=" + spoken));
	}

	private long clips() {
		return jdbc.sql("SELECT COUNT(*) FROM voice_clips").query(Long.class).single();
	}

	private WebSession member(String name) {
		synchronized (WebVoiceTest.class) {
			if (conversations.findUser(new PlatformUserId("web", name)).isEmpty()) {
				accounts.createAccount(accounts.loadUserByUsername("ada"), name, name, "password-" + name,
						UserRole.MEMBER);
			}
		}
		WebSession session = new WebSession(port);
		assertThat(session.signIn(name, "password-" + name)).endsWith("/");
		session.get("/");
		return session;
	}

}
