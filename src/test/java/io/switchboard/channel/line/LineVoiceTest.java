package io.switchboard.channel.line;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.fakes.FakeLine;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.FakeTranscriptions;
import io.switchboard.fakes.Sounds;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.usage.UsageLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LINE voice messages through the LINE fake (a generated WAV served by its content API)
 * and the fake OpenAI transcription server: answered as their words, with what was heard
 * shown first; a spoken command is carried out; silence gets a plain message.
 */
@IntegrationTest
class LineVoiceTest {

	static final FakeLine line = FakeLine.start("line-voice-secret", "line-voice-token");

	static final FakeOpenAi openai = FakeOpenAi.start("sk-line-voice");

	static final FakeTranscriptions whisper = FakeTranscriptions.start("sk-line-voice");

	static final io.switchboard.fakes.FakeSpeech tts = io.switchboard.fakes.FakeSpeech.start("sk-line-voice");

	static final Duration WAIT = Duration.ofSeconds(20);

	@DynamicPropertySource
	static void fakes(DynamicPropertyRegistry registry) {
		registry.add("switchboard.line.channel-secret", line::channelSecret);
		registry.add("switchboard.line.channel-access-token", line::accessToken);
		registry.add("switchboard.line.api-base-url", () -> line.uri().toString());
		registry.add("switchboard.line.data-api-base-url", () -> line.uri().toString());
		registry.add("switchboard.media.public-base-url", () -> "https://bot.example.com");
		registry.add("switchboard.llm.providers.fake-openai.type", () -> "openai");
		registry.add("switchboard.llm.providers.fake-openai.base-url", () -> openai.baseUrl().toString());
		registry.add("switchboard.llm.providers.fake-openai.api-key", openai::apiKey);
		registry.add("switchboard.llm.providers.whisper.type", () -> "openai");
		registry.add("switchboard.llm.providers.whisper.base-url", () -> whisper.baseUrl().toString());
		registry.add("switchboard.llm.providers.whisper.api-key", () -> "sk-line-voice");
		registry.add("switchboard.llm.default-model", () -> "gpt-test");
		registry.add("switchboard.llm.models.gpt-test.provider", () -> "fake-openai");
		registry.add("switchboard.llm.models.gpt-test.upstream-model", () -> "gpt-4o-mini");
		registry.add("switchboard.voice.provider", () -> "whisper");
		registry.add("switchboard.llm.providers.tts.type", () -> "openai");
		registry.add("switchboard.llm.providers.tts.base-url", () -> tts.baseUrl().toString());
		registry.add("switchboard.llm.providers.tts.api-key", () -> "sk-line-voice");
		registry.add("switchboard.voice.speech.provider", () -> "tts");
	}

	@AfterAll
	static void stop() {
		line.close();
		openai.close();
		whisper.close();
		tts.close();
	}

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Conversations conversations;

	@Autowired
	UsageLedger ledger;

	@Autowired
	io.micrometer.core.instrument.MeterRegistry meters;

	@BeforeEach
	void fresh() {
		line.reset();
		openai.reset();
		whisper.reset();
		tts.reset();
	}

	@Test
	void withSpokenAnswersOnAnAnswerComesAsAnAudioMessageWithItsLengthFirst() {
		String user = newUser();
		deliver(line.text(FakeLine.user(user), "/user voice on"));
		assertThat(String.join("\n", awaitSent(user, 1).getFirst().texts())).contains("Spoken answers on");

		openai.reply("Taipei is the capital of Taiwan. It lies in the north.");
		deliver(line.text(FakeLine.user(user), "What is the capital of Taiwan?"));

		com.fasterxml.jackson.databind.JsonNode messages = awaitSent(user, 2).get(1).messages();
		assertThat(messages.get(0).path("type").asText()).isEqualTo("audio");
		String url = messages.get(0).path("originalContentUrl").asText();
		assertThat(url).matches("https://bot\\.example\\.com/voice/speech/[0-9]+/0\\.mp3\\?exp=[0-9]+&sig=.+");
		// the fake speaks a second per 15 characters: 54 characters, 3 s of MP3 frames
		assertThat(messages.get(0).path("duration").asLong()).isBetween(2900L, 3100L);
		assertThat(messages.get(1).path("text").asText()).contains("Taipei is the capital of Taiwan.");
		// LINE fetches the file from the link, without a sign-in
		java.net.http.HttpResponse<byte[]> fetched = new io.switchboard.testsupport.WebSession(port)
			.getBytes(url.replace("https://bot.example.com", ""));
		assertThat(fetched.statusCode()).isEqualTo(200);
		assertThat(fetched.body()).isEqualTo(
				io.switchboard.fakes.FakeSpeech.audioFor("Taipei is the capital of Taiwan. It lies in the north."));
	}

	@Test
	void whenTheSpeechModelFailsTheAnswerStillGoesOutAsTextAndNothingSpokenIsBilled() {
		String user = newUser();
		deliver(line.text(FakeLine.user(user), "/user voice on"));
		assertThat(String.join("\n", awaitSent(user, 1).getFirst().texts())).contains("Spoken answers on");
		double failedBefore = failedSpeech();

		tts.failNext();
		openai.reply("Kaohsiung is a harbour city in the south.");
		deliver(line.text(FakeLine.user(user), "Name a harbour city in Taiwan."));

		com.fasterxml.jackson.databind.JsonNode messages = awaitSent(user, 2).get(1).messages();
		assertThat(messages).noneSatisfy(message -> assertThat(message.path("type").asText()).isEqualTo("audio"))
			.anySatisfy(message -> assertThat(message.path("text").asText())
				.contains("Kaohsiung is a harbour city in the south."));
		assertThat(tts.spoken()).singleElement()
			.satisfies(asked -> assertThat(asked.path("input").asText())
				.isEqualTo("Kaohsiung is a harbour city in the south."));
		assertThat(failedSpeech()).isEqualTo(failedBefore + 1);
		// nothing kept, nothing billed: no speech model row, no seconds of audio
		long id = conversations.findUser(new PlatformUserId("line", user)).orElseThrow().id().value();
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		assertThat(ledger.forUser(id, today, today)).noneSatisfy(row -> assertThat(row.model()).isEqualTo("tts-1"));
		assertThat(ledger.audioSeconds(id, today)).isZero();
		assertThat(jdbc.sql("SELECT COUNT(*) FROM voice_speech WHERE user_id = ?").param(id).query(Long.class).single())
			.isZero();
	}

	private double failedSpeech() {
		io.micrometer.core.instrument.Counter failed = meters.find("switchboard_voice_speech_total")
			.tag("outcome", "failed")
			.counter();
		return failed == null ? 0 : failed.count();
	}

	@Test
	void aVoiceMessageIsAnsweredAsItsWordsWithWhatWasHeardShownFirst() {
		String user = newUser();
		byte[] wav = Sounds.sineWav(2, 440);
		whisper.hears("What is the capital of Taiwan?");

		assertThat(deliver(line.audio(FakeLine.user(user), wav, 2000))).isEqualTo(200);

		List<FakeLine.Sent> sent = awaitSent(user, 2);
		assertThat(sent.get(0).texts()).containsExactly("🎤 what I heard: What is the capital of Taiwan?");
		assertThat(sent.get(0).how()).isEqualTo("reply");
		assertThat(sent.get(1).texts()).containsExactly("Echo: What is the capital of Taiwan?");
		// the model was asked the words, as if typed
		assertThat(openai.lastRequestJson().toString()).contains("What is the capital of Taiwan?");
		// LINE's audio went up as it came, and is kept with its words
		assertThat(whisper.uploads()).singleElement()
			.satisfies(upload -> assertThat(upload.get("file").bytes()).isEqualTo(wav));
		assertThat(jdbc.sql("SELECT transcript FROM voice_clips WHERE bytes = ?").param(wav).query(String.class).list())
			.containsExactly("What is the capital of Taiwan?");
		long id = conversations.findUser(new PlatformUserId("line", user)).orElseThrow().id().value();
		assertThat(ledger.audioSeconds(id, LocalDate.now(ZoneOffset.UTC))).isEqualTo(2);
	}

	@Test
	void aSpokenCommandIsCarriedOut() {
		String user = newUser();
		whisper.hears("/help");

		deliver(line.audio(FakeLine.user(user), Sounds.sineWav(1, 330), 1000));

		List<String> texts = awaitSent(user, 1).getFirst().texts();
		assertThat(texts.getFirst()).isEqualTo("🎤 what I heard: /help");
		assertThat(String.join("\n", texts)).contains("/session new");
		assertThat(openai.requests()).isEmpty();
	}

	@Test
	void silenceGetsAPlainMessageAndNoModelIsAsked() {
		String user = newUser();
		whisper.hears("");

		deliver(line.audio(FakeLine.user(user), Sounds.sineWav(1, 220), 1000));

		assertThat(awaitSent(user, 1).getFirst().texts()).singleElement()
			.satisfies(text -> assertThat(text).startsWith("I heard no words"));
		assertThat(openai.requests()).isEmpty();
	}

	@Test
	void aVoiceMessageOverTheLengthLimitIsRefusedUnheard() {
		String user = newUser();

		// LINE says it lasts 6:40: the clip is not even downloaded for hearing
		deliver(line.audio(FakeLine.user(user), Sounds.sineWav(1, 220), 400_000));

		assertThat(awaitSent(user, 1).getFirst().texts()).singleElement()
			.satisfies(text -> assertThat(text).contains("6:40 long").contains("5:00 at most"));
		assertThat(whisper.requests()).isEmpty();
	}

	private int deliver(com.fasterxml.jackson.databind.JsonNode event) {
		return line.deliver(URI.create("http://127.0.0.1:" + port + "/line/webhook"), FakeLine.body(event))
			.statusCode();
	}

	private List<FakeLine.Sent> awaitSent(String chatId, int count) {
		await().atMost(WAIT).until(() -> line.sentTo(chatId).size() >= count);
		return line.sentTo(chatId);
	}

	private static String newUser() {
		return "U" + UUID.randomUUID().toString().replace("-", "");
	}

}
