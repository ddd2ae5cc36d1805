package io.switchboard.api;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import com.openai.models.audio.transcriptions.TranscriptionVerbose;

import io.switchboard.conversation.User;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.FakeTranscriptions;
import io.switchboard.fakes.Json;
import io.switchboard.fakes.Sounds;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.usage.UsageRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code POST /v1/audio/transcriptions} with the official openai-java client and raw
 * multipart HTTP, in front of the fake OpenAI transcription server: every response format
 * passed through, the caller's language and prompt sent on, the seconds and their cost in
 * the ledger and the call log; a clip too long, too large or not audio, another model, a
 * missing key and a key not allowed the model refused in OpenAI's error format with
 * nothing sent upstream.
 */
@IntegrationTest
class AudioTranscriptionsTest extends GatewayTestBase {

	static final FakeOpenAi openai = FakeOpenAi.start("sk-chat-upstream");

	static final FakeTranscriptions whisper = FakeTranscriptions.start("sk-whisper-upstream");

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add("switchboard.llm.providers.openai.type", () -> "openai");
		registry.add("switchboard.llm.providers.openai.base-url", () -> openai.baseUrl().toString());
		registry.add("switchboard.llm.providers.openai.api-key", openai::apiKey);
		registry.add("switchboard.llm.models.gpt-test.provider", () -> "openai");
		registry.add("switchboard.llm.providers.whisper.type", () -> "openai");
		registry.add("switchboard.llm.providers.whisper.base-url", () -> whisper.baseUrl().toString());
		registry.add("switchboard.llm.providers.whisper.api-key", () -> "sk-whisper-upstream");
		registry.add("switchboard.voice.provider", () -> "whisper");
		registry.add("switchboard.voice.price-per-minute", () -> "0.006");
		registry.add("switchboard.voice.max-size", () -> "64KB");
		registry.add("switchboard.voice.max-duration", () -> "3s");
	}

	@AfterAll
	static void stop() {
		openai.close();
		whisper.close();
	}

	@TempDir
	Path temp;

	@BeforeEach
	void reset() {
		whisper.reset();
		whisper.hears("The quick brown fox.");
	}

	@Test
	void theOfficialClientGetsTheWordsAndTheCallIsBilledBySeconds() throws Exception {
		User user = user("ada");
		OpenAIClient client = client(key(user, ApiKey.Limits.NONE));
		Path clip = temp.resolve("fox.wav");
		Files.write(clip, Sounds.sineWav(2, 440));

		TranscriptionCreateResponse plain = client.audio()
			.transcriptions()
			.create(TranscriptionCreateParams.builder().file(clip).model("whisper-1").build());
		assertThat(plain.asTranscription().text()).isEqualTo("The quick brown fox.");

		TranscriptionCreateResponse verbose = client.audio()
			.transcriptions()
			.create(TranscriptionCreateParams.builder()
				.file(clip)
				.model("whisper-1")
				.responseFormat(AudioResponseFormat.VERBOSE_JSON)
				.language("en")
				.prompt("Foxes and dogs.")
				.build());
		TranscriptionVerbose detail = verbose.verbose().orElseThrow();
		assertThat(detail.text()).isEqualTo("The quick brown fox.");
		assertThat(detail.duration()).isEqualTo(2.0);
		assertThat(detail.segments()).hasValueSatisfying(segments -> assertThat(segments).hasSize(1));

		// the clip went up as sent, with the caller's hints and the server's model
		var uploads = whisper.uploads();
		assertThat(uploads).hasSize(2);
		assertThat(uploads.get(1).get("file").bytes()).isEqualTo(Files.readAllBytes(clip));
		assertThat(uploads.get(1).get("model").text()).isEqualTo("whisper-1");
		assertThat(uploads.get(1).get("language").text()).isEqualTo("en");
		assertThat(uploads.get(1).get("prompt").text()).isEqualTo("Foxes and dogs.");
		assertThat(uploads.get(1).get("response_format").text()).isEqualTo("verbose_json");

		// 2 s twice at $0.006 a minute: $0.0004, in the call log and the ledger (once)
		List<ApiCall> recorded = callsOf(user, 2);
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		assertThat(ledger.audioSeconds(user.id().value(), today)).isEqualTo(4);
		assertThat(ledger.forUser(user.id().value(), today, today)).extracting(UsageRow::costNanos)
			.containsExactly(400_000L);
		assertThat(ledger.forUser(user.id().value(), today, today)).extracting(UsageRow::requests).containsExactly(2L);
		assertThat(recorded).extracting(ApiCall::model).containsOnly("whisper-1");
		assertThat(recorded).extracting(ApiCall::costNanos).containsOnly(200_000L);
		assertThat(recorded).extracting(ApiCall::status).containsOnly(200);
	}

	@Test
	void textSubtitlesAndPlainAnswersPassThroughAsTheModelGaveThem() throws Exception {
		String key = key(user("bob"), ApiKey.Limits.NONE);
		byte[] wav = Sounds.sineWav(2, 440);

		HttpResponse<String> text = post(key, Map.of("model", "whisper-1", "response_format", "text"), wav);
		assertThat(text.statusCode()).isEqualTo(200);
		assertThat(text.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
		assertThat(text.body()).isEqualTo("The quick brown fox.\n");

		HttpResponse<String> srt = post(key, Map.of("model", "whisper-1", "response_format", "srt"), wav);
		assertThat(srt.body()).isEqualTo("1\n00:00:00,000 --> 00:00:02,000\nThe quick brown fox.\n\n");

		HttpResponse<String> vtt = post(key, Map.of("model", "whisper-1", "response_format", "vtt"), wav);
		assertThat(vtt.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("text/vtt"));
		assertThat(vtt.body()).startsWith("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nThe quick brown fox.");
	}

	@Test
	void badRequestsAreRefusedInOpenAisFormatAndNothingGoesUpstream() throws Exception {
		User user = user("carol");
		String key = key(user, ApiKey.Limits.NONE);

		HttpResponse<String> tooLong = post(key, Map.of("model", "whisper-1"), Sounds.sineWav(3.5, 440));
		assertThat(tooLong.statusCode()).isEqualTo(400);
		assertThat(Json.read(tooLong.body()).path("error").path("message").asText())
			.isEqualTo("The audio file is 0:04 long; this server listens to 0:03 at most.");

		HttpResponse<String> tooLarge = post(key, Map.of("model", "whisper-1"), Sounds.sineWav(4.5, 440));
		assertThat(tooLarge.statusCode()).isEqualTo(413);
		assertThat(tooLarge.body()).contains("larger than 64 KB");

		HttpResponse<String> notAudio = post(key, Map.of("model", "whisper-1"), "just text".getBytes());
		assertThat(notAudio.statusCode()).isEqualTo(400);
		assertThat(Json.read(notAudio.body()).path("error").path("param").asText()).isEqualTo("file");
		assertThat(notAudio.body()).contains("That is not audio I can listen to");

		HttpResponse<String> format = post(key, Map.of("model", "whisper-1", "response_format", "mp3"),
				Sounds.sineWav(1, 440));
		assertThat(format.statusCode()).isEqualTo(400);
		assertThat(Json.read(format.body()).path("error").path("param").asText()).isEqualTo("response_format");

		HttpResponse<String> noModel = post(key, Map.of(), Sounds.sineWav(1, 440));
		assertThat(noModel.statusCode()).isEqualTo(400);
		assertThat(noModel.body()).contains("Missing required parameter: 'model'.");

		HttpResponse<String> noKey = post(null, Map.of("model", "whisper-1"), Sounds.sineWav(1, 440));
		assertThat(noKey.statusCode()).isEqualTo(401);

		String narrow = key(user, new ApiKey.Limits(Set.of("gpt-test"), null, null, null));
		HttpResponse<String> notAllowed = post(narrow, Map.of("model", "whisper-1"), Sounds.sineWav(1, 440));
		assertThat(notAllowed.statusCode()).isEqualTo(403);
		assertThat(Json.read(notAllowed.body()).path("error").path("code").asText()).isEqualTo("model_not_allowed");

		Path clip = temp.resolve("one.wav");
		Files.write(clip, Sounds.sineWav(1, 440));
		assertThatThrownBy(() -> client(key).audio()
			.transcriptions()
			.create(TranscriptionCreateParams.builder().file(clip).model("gpt-4o-transcribe").build()))
			.isInstanceOf(NotFoundException.class)
			.hasMessageContaining("speech to text model is `whisper-1`");

		assertThat(whisper.requests()).isEmpty();
		assertThat(ledger.audioSeconds(user.id().value(), LocalDate.now(ZoneOffset.UTC))).isZero();
	}

	OpenAIClient client(String key) {
		return OpenAIOkHttpClient.builder()
			.apiKey(key)
			.baseUrl("http://127.0.0.1:" + port + "/v1")
			.maxRetries(0)
			.build();
	}

	HttpResponse<String> post(String key, Map<String, String> fields, byte[] audio) throws Exception {
		String boundary = "----voice" + UUID.randomUUID();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		fields.forEach((name, value) -> body.writeBytes(
				("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
					.getBytes(StandardCharsets.UTF_8)));
		body.writeBytes(
				("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"clip.wav\"\r\n"
						+ "Content-Type: audio/wav\r\n\r\n")
					.getBytes(StandardCharsets.UTF_8));
		body.writeBytes(audio);
		body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/audio/transcriptions"))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
