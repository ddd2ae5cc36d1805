package io.switchboard.channel.slack;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.FakeSlack;
import io.switchboard.fakes.FakeTranscriptions;
import io.switchboard.fakes.Sounds;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slack audio clips (a generated WAV kept as a private file of the Slack fake, fetched
 * with the bot token) heard by the fake OpenAI transcription server: answered as their
 * words in the clip's thread, with what was heard shown first; silence gets a plain
 * message and no model is asked.
 */
@IntegrationTest
class SlackVoiceTest {

	static final FakeSlack slack = new FakeSlack().user("UADA", "Ada");

	static final FakeOpenAi openai = FakeOpenAi.start();

	static final FakeTranscriptions whisper = FakeTranscriptions.start(null);

	static final io.switchboard.fakes.FakeSpeech tts = io.switchboard.fakes.FakeSpeech.start(null);

	@DynamicPropertySource
	static void fakes(DynamicPropertyRegistry registry) {
		registry.add("switchboard.slack.bot-token", () -> FakeSlack.BOT_TOKEN);
		registry.add("switchboard.slack.signing-secret", () -> FakeSlack.SIGNING_SECRET);
		registry.add("switchboard.slack.api-url", () -> slack.apiUrl().toString());
		registry.add("switchboard.slack.update-interval", () -> "300ms");
		registry.add("switchboard.llm.providers.fake-openai.type", () -> "openai");
		registry.add("switchboard.llm.providers.fake-openai.base-url", () -> openai.baseUrl().toString());
		registry.add("switchboard.llm.models.gpt-test.provider", () -> "fake-openai");
		registry.add("switchboard.llm.models.gpt-test.upstream-model", () -> "gpt-4o-mini");
		registry.add("switchboard.llm.providers.whisper.type", () -> "openai");
		registry.add("switchboard.llm.providers.whisper.base-url", () -> whisper.baseUrl().toString());
		registry.add("switchboard.voice.provider", () -> "whisper");
		registry.add("switchboard.llm.providers.tts.type", () -> "openai");
		registry.add("switchboard.llm.providers.tts.base-url", () -> tts.baseUrl().toString());
		registry.add("switchboard.voice.speech.provider", () -> "tts");
		// a long answer is spoken in pieces of at most 100 characters
		registry.add("switchboard.voice.speech.max-characters", () -> "100");
	}

	@AfterAll
	static void stop() {
		slack.close();
		tts.close();
		openai.close();
		whisper.close();
	}

	@LocalServerPort
	int port;

	@BeforeEach
	void reset() {
		openai.reset();
		whisper.reset();
		tts.reset();
	}

	@Test
	void withSpokenAnswersOnTheAnswerIsUploadedIntoItsThreadAsMp3() {
		// switched on by voice, like any command
		whisper.hears("/user voice on");
		awaitText(shareClip(Sounds.sineWav(1, 300)), "Spoken answers on");

		whisper.hears("What is a channel?");
		String at = shareClip(Sounds.sineWav(1, 440));

		awaitText(at, "Echo: What is a channel?");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> slack.uploads().stream().anyMatch(upload -> at.equals(upload.threadTs())));
		FakeSlack.Upload spoken = slack.uploads()
			.stream()
			.filter(upload -> at.equals(upload.threadTs()))
			.findFirst()
			.orElseThrow();
		assertThat(spoken.filename()).endsWith(".mp3");
		assertThat(spoken.channel()).isEqualTo("CGENERAL");
		assertThat(spoken.bytes()).isEqualTo(io.switchboard.fakes.FakeSpeech.audioFor("Echo: What is a channel?"));
	}

	@Test
	void aSendThatFailsAfterAPieceWasUploadedIsTriedAgainAndUploadsEachPieceOnce() {
		whisper.hears("/user voice on");
		awaitText(shareClip(Sounds.sineWav(1, 300)), "Spoken answers on");
		tts.reset();

		String story = "Lanterns were lit along the river at dusk. "
				+ "Each one carried a wish downstream toward the sea, and nobody watched them go. "
				+ "Then the night came.";
		openai.reply(story);
		int sharesBefore = slack.calls("files.completeUploadExternal").size();
		// the first piece goes up; sharing the second fails once on Slack's side
		slack.failCall("files.completeUploadExternal", 2, "internal_error");
		whisper.hears("Tell me a story.");
		String at = shareClip(Sounds.sineWav(1, 440));

		awaitText(at, "Lanterns were lit");
		List<String> inputs = tts.spoken().stream().map(asked -> asked.path("input").asText()).toList();
		assertThat(inputs).hasSize(2);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> slack.uploads().stream().filter(upload -> at.equals(upload.threadTs())).count() >= 2);
		assertThat(slack.calls("files.completeUploadExternal")).as("the failed share and its retry")
			.hasSize(sharesBefore + 3);
		assertThat(slack.uploads().stream().filter(upload -> at.equals(upload.threadTs())))
			.extracting(FakeSlack.Upload::bytes)
			.containsExactly(io.switchboard.fakes.FakeSpeech.audioFor(inputs.get(0)),
					io.switchboard.fakes.FakeSpeech.audioFor(inputs.get(1)));
		// spoken once and kept: the retry uploads the same audio, not spoken again
		assertThat(tts.spoken()).hasSize(2);
	}

	@Test
	void anAudioClipIsAnsweredAsItsWordsInItsThread() {
		byte[] wav = Sounds.sineWav(2, 440);
		whisper.hears("What is a thread?");
		String at = shareClip(wav);

		awaitText(at, "Echo: What is a thread?");
		assertThat(slack.thread("CGENERAL", at))
			.anySatisfy(message -> assertThat(message.text()).isEqualTo("🎤 what I heard: What is a thread?"));
		assertThat(whisper.uploads()).singleElement()
			.satisfies(upload -> assertThat(upload.get("file").bytes()).isEqualTo(wav));
	}

	@Test
	void silenceGetsAPlainMessage() {
		whisper.hears("");
		String at = shareClip(Sounds.sineWav(1, 220));

		awaitText(at, "I heard no words");
		assertThat(openai.requests()).isEmpty();
	}

	private String shareClip(byte[] wav) {
		String id = "FVOICE" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
		slack.privateFile(id, "audio_message.wav", "audio/wav", wav);
		String at = "1800000001." + String.format("%06d", (int) (Math.random() * 999_999));
		FakeSlack.Delivery delivery = slack.deliverEvent(URI.create("http://127.0.0.1:" + port + "/slack/events"),
				"Ev" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase(),
				slack.messageWithFiles("CGENERAL", "UADA", "", at, id), null);
		assertThat(delivery.status()).isEqualTo(200);
		return at;
	}

	private void awaitText(String threadTs, String containing) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> slack.thread("CGENERAL", threadTs).stream().anyMatch(m -> m.text().contains(containing)));
	}

}
