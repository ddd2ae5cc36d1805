package io.switchboard.voice;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.fakes.FakeHttpServer;
import io.switchboard.fakes.FakeTranscriptions;
import io.switchboard.fakes.MultipartForm;
import io.switchboard.fakes.Sounds;
import io.switchboard.storage.Images;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.usage.UsageLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Speech to text against the fake OpenAI {@code /v1/audio/transcriptions}: a clip goes up
 * as a multipart upload with the provider's key and comes back as words kept with the
 * audio; every kind of bad clip gets its own reason, reaches no server and keeps nothing;
 * the seconds heard are billed in the ledger.
 */
@IntegrationTest
class VoiceTest {

	static final FakeTranscriptions whisper = FakeTranscriptions.start("sk-voice-test");

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("switchboard.llm.providers.whisper.type", () -> "openai");
		registry.add("switchboard.llm.providers.whisper.base-url", () -> whisper.baseUrl().toString());
		registry.add("switchboard.llm.providers.whisper.api-key", () -> "sk-voice-test");
		registry.add("switchboard.voice.provider", () -> "whisper");
		registry.add("switchboard.voice.language", () -> "en");
		registry.add("switchboard.voice.max-size", () -> "200KB");
		registry.add("switchboard.voice.max-duration", () -> "10s");
		registry.add("switchboard.voice.price-per-minute", () -> "0.006");
	}

	@AfterAll
	static void stop() {
		whisper.close();
	}

	@Autowired
	Voice voice;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	UsageLedger ledger;

	@Autowired
	Conversations conversations;

	@BeforeEach
	void fresh() {
		whisper.reset();
		whisper.hears("hello");
	}

	@Test
	void aClipIsUploadedAsMultipartAndItsWordsAreKeptWithTheAudio() {
		byte[] wav = Sounds.sineWav(2, 440);
		whisper.hears("What is a switchboard?");

		Heard heard = voice.hear(wav, null);

		assertThat(heard).isInstanceOfSatisfying(Heard.Words.class, words -> {
			assertThat(words.text()).isEqualTo("What is a switchboard?");
			assertThat(words.seconds()).isEqualTo(2);
			assertThat(words.costNanos()).isEqualTo(200_000); // $0.006 a minute, 2 s
		});
		Map<String, MultipartForm.Part> upload = whisper.uploads().getFirst();
		assertThat(upload.get("file").fileName()).isEqualTo("voice.wav");
		assertThat(upload.get("file").contentType()).isEqualTo("audio/wav");
		assertThat(upload.get("file").bytes()).isEqualTo(wav);
		assertThat(upload.get("model").text()).isEqualTo("whisper-1");
		assertThat(upload.get("language").text()).isEqualTo("en");
		assertThat(whisper.lastRequest().header("Authorization")).isEqualTo("Bearer sk-voice-test");
		String clip = ((Heard.Words) heard).clip();
		assertThat(voice.transcriptOf(clip)).contains("What is a switchboard?");
		assertThat(jdbc.sql("SELECT bytes FROM voice_clips WHERE sha256 = ?").param(clip).query(byte[].class).single())
			.isEqualTo(wav);
	}

	@Test
	void everyFormatIsSentUnderItsOwnExtension() {
		for (String format : new String[] { "ogg", "webm", "m4a", "mp3" }) {
			assertThat(voice.hear(Sounds.header(format), Duration.ofSeconds(3))).isInstanceOf(Heard.Words.class);
			assertThat(whisper.uploads().getLast().get("file").fileName()).isEqualTo("voice." + format);
		}
	}

	@Test
	void formatsAreReadFromTheBytes() throws Exception {
		assertThat(AudioFormat.sniff(Sounds.sineWav(0.1, 440))).contains(AudioFormat.WAV);
		assertThat(AudioFormat.sniff(Sounds.header("ogg"))).contains(AudioFormat.OGG);
		assertThat(AudioFormat.sniff(Sounds.header("webm"))).contains(AudioFormat.WEBM);
		assertThat(AudioFormat.sniff(Sounds.header("m4a"))).contains(AudioFormat.M4A);
		assertThat(AudioFormat.sniff(Sounds.header("mp3"))).contains(AudioFormat.MP3);
		assertThat(AudioFormat.sniff(Images.png(4, 4))).isEmpty();
		assertThat(AudioFormat.sniff("voice.ogg".getBytes())).isEmpty();
		assertThat(AudioFormat.wavDuration(Sounds.sineWav(1.5, 440))).contains(Duration.ofMillis(1500));
		assertThat(AudioFormat.wavDuration(Sounds.header("ogg"))).isEmpty();
	}

	@Test
	void badClipsAreRefusedWithTheirReasonReachNoServerAndKeepNothing() throws Exception {
		long clips = clips();

		assertThat(reason(voice.hear(new byte[0], null))).isEqualTo("The voice message is empty.");
		assertThat(reason(voice.hear(Images.png(8, 8), null))).contains("not audio")
			.contains("Ogg/Opus, M4A/AAC, MP3, WAV or WebM");
		// 16 s of 8 kHz 16-bit audio is 256 KB, over the 200 KB limit
		assertThat(reason(voice.hear(Sounds.sineWav(16, 440), null))).contains("larger than 200 KB");
		// 12 s is under the size limit but over the 10 s one; the header says so
		assertThat(reason(voice.hear(Sounds.sineWav(12, 440), Duration.ofSeconds(1)))).contains("0:12 long")
			.contains("0:10 at most");
		// a format whose length only the platform knows
		assertThat(reason(voice.hear(Sounds.header("ogg"), Duration.ofSeconds(61)))).contains("1:01 long");

		assertThat(whisper.requests()).isEmpty();
		assertThat(clips()).isEqualTo(clips);
	}

	@Test
	void silenceAndAFailingServerGetPlainMessagesAndKeepNothing() {
		long clips = clips();
		whisper.hears("   ");
		assertThat(reason(voice.hear(Sounds.sineWav(1, 440), null))).startsWith("I heard no words");

		whisper.enqueue(FakeHttpServer.Reply.json(500, """
				{"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}"""));
		assertThat(reason(voice.hear(Sounds.sineWav(1, 300), null))).startsWith("I could not listen to it just now");

		assertThat(clips()).isEqualTo(clips);
	}

	@Test
	void theSecondsHeardAreBilledInTheLedger() {
		User user = conversations.identify(new PlatformUserId("web", "voice-" + UUID.randomUUID()), "Vic");
		Heard.Words words = (Heard.Words) voice.hear(Sounds.sineWav(3, 500), null);

		voice.recordUsage(user.id().value(), words);
		voice.recordUsage(user.id().value(), words);

		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		assertThat(ledger.audioSeconds(user.id().value(), today)).isEqualTo(6);
		assertThat(ledger.forUser(user.id().value(), today, today)).singleElement().satisfies(row -> {
			assertThat(row.model()).isEqualTo("whisper-1");
			assertThat(row.requests()).isEqualTo(2);
			assertThat(row.costNanos()).isEqualTo(600_000);
		});
	}

	private long clips() {
		return jdbc.sql("SELECT COUNT(*) FROM voice_clips").query(Long.class).single();
	}

	private static String reason(Heard heard) {
		assertThat(heard).isInstanceOf(Heard.NotHeard.class);
		return ((Heard.NotHeard) heard).reason();
	}

}
