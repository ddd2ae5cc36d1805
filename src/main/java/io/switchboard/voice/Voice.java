package io.switchboard.voice;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.llm.LlmProperties;
import io.switchboard.usage.UsageLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Hears voice messages: checks a clip (size, format from its bytes, length), sends it to
 * an OpenAI-compatible {@code POST /audio/transcriptions} (OpenAI, Groq, a local
 * whisper.cpp or faster-whisper server) as a multipart upload, and keeps the audio with
 * its transcript. A transcription is one blocking HTTP call: make it on a virtual thread,
 * outside any database transaction.
 */
@Service
public class Voice {

	private static final Logger log = LoggerFactory.getLogger(Voice.class);

	static final URI OPENAI = URI.create("https://api.openai.com/v1");

	private static final BigDecimal NANOS_PER_DOLLAR = BigDecimal.valueOf(1_000_000_000L);

	private final VoiceProperties properties;

	private final JdbcClient jdbc;

	private final UsageLedger ledger;

	private final MeterRegistry meters;

	private final Clock clock;

	/** Where clips go; {@code null} while voice is off. */
	private final RestClient upstream;

	Voice(VoiceProperties properties, LlmProperties llm, JdbcClient jdbc, UsageLedger ledger, MeterRegistry meters,
			Clock clock) {
		this.properties = properties;
		this.jdbc = jdbc;
		this.ledger = ledger;
		this.meters = meters;
		this.clock = clock;
		this.upstream = properties.isOn() ? upstream("switchboard.voice.provider", properties.provider(),
				properties.timeout(), "speech to text", llm) : null;
	}

	/** Whether voice messages are heard on this server. */
	public boolean isOn() {
		return upstream != null;
	}

	/**
	 * Hears a clip. Blocks for the transcription.
	 * @param bytes the audio as the platform handed it over
	 * @param reported the length the platform gave, if any (a WAV file's header is read
	 * too, and the longer one counts)
	 */
	public Heard hear(byte[] bytes, Duration reported) {
		Heard heard = check(bytes, reported);
		meters.counter("switchboard_voice_clips_total", "outcome", heard instanceof Heard.Words ? "heard" : "not_heard")
			.increment();
		return heard;
	}

	/** The most a platform should download before {@link #hear} refuses it anyway. */
	public long maxBytes() {
		return properties.maxSize().toBytes();
	}

	/**
	 * A refusal for a clip larger than the limit, for channels that see the size first.
	 */
	public String tooLarge() {
		return "The voice message is larger than " + megabytes() + ", the most this server takes.";
	}

	/**
	 * Adds a heard clip's seconds and cost to its sender's ledger, under the
	 * transcription model's name.
	 */
	public void recordUsage(long userId, Heard.Words words) {
		ledger.recordAudio(userId, properties.model(), words.seconds(), words.costNanos(), clock.instant());
	}

	/**
	 * The checks every clip passes before it is sent anywhere: there, not too large,
	 * audio by its bytes, not too long.
	 */
	private sealed interface Checked {

		record Fine(AudioFormat format, Duration length) implements Checked {
		}

		record Refused(String reason) implements Checked {
		}

	}

	private Checked checked(byte[] bytes, Duration reported) {
		if (bytes == null || bytes.length == 0) {
			return new Checked.Refused("The voice message is empty.");
		}
		if (bytes.length > properties.maxSize().toBytes()) {
			return new Checked.Refused(tooLarge());
		}
		Optional<AudioFormat> format = AudioFormat.sniff(bytes);
		if (format.isEmpty()) {
			return new Checked.Refused(
					"That is not audio I can listen to (Ogg/Opus, M4A/AAC, MP3, WAV or WebM are fine).");
		}
		// the longer of what the platform said and what the header says: neither is
		// trusted to shorten the other
		Duration length = AudioFormat.wavDuration(bytes)
			.map(own -> reported == null || own.compareTo(reported) >= 0 ? own : reported)
			.orElse(reported);
		if (length != null && length.compareTo(properties.maxDuration()) > 0) {
			return new Checked.Refused("The voice message is " + clock(length) + " long; this server listens to "
					+ clock(properties.maxDuration()) + " at most.");
		}
		return new Checked.Fine(format.get(), length);
	}

	private Heard check(byte[] bytes, Duration reported) {
		if (!isOn()) {
			return new Heard.NotHeard("I cannot listen to voice messages on this server; please type instead.");
		}
		Checked checked = checked(bytes, reported);
		if (checked instanceof Checked.Refused(String reason)) {
			return new Heard.NotHeard(reason);
		}
		AudioFormat format = ((Checked.Fine) checked).format();
		Duration length = ((Checked.Fine) checked).length();
		Transcript transcript;
		try {
			transcript = transcribe(bytes, format);
		}
		catch (RestClientResponseException refused) {
			log.warn("transcription failed: HTTP {} {}", refused.getStatusCode().value(),
					refused.getResponseBodyAsString());
			return new Heard.NotHeard("I could not listen to it just now; please try again in a moment.");
		}
		catch (RestClientException failed) {
			log.warn("transcription failed: {}", failed.toString());
			return new Heard.NotHeard("I could not listen to it just now; please try again in a moment.");
		}
		if (transcript.text().isBlank()) {
			return new Heard.NotHeard(
					"I heard no words in that voice message. Please speak a little closer or louder and send it again.");
		}
		// billed by the second: the server's count, else the clip's own length
		long millis = transcript.seconds() != null ? Math.round(transcript.seconds() * 1000)
				: length != null ? length.toMillis() : 0;
		long seconds = (millis + 999) / 1000;
		long cost = cost(seconds);
		String sha256 = sha256(bytes);
		jdbc.sql(
				"""
						INSERT INTO voice_clips (sha256, mime_type, size_bytes, duration_ms, transcript, model, bytes, created_at)
						VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING""")
			.params(sha256, format.mimeType(), bytes.length, millis, transcript.text().strip(), properties.model(),
					bytes, clock.millis())
			.update();
		return new Heard.Words(transcript.text().strip(), sha256, seconds, cost);
	}

	private long cost(long seconds) {
		return properties.pricePerMinute()
			.multiply(BigDecimal.valueOf(seconds))
			.multiply(NANOS_PER_DOLLAR)
			.divide(BigDecimal.valueOf(60), 0, RoundingMode.HALF_UP)
			.longValueExact();
	}

	/** The speech to text model every clip goes to, as configured. */
	public String model() {
		return properties.model();
	}

	/**
	 * A transcription asked for through the OpenAI-compatible API: the clip passes the
	 * same checks as a voice message, then goes to the configured model with the caller's
	 * options, and the model's answer comes back as it was given (any
	 * {@code response_format}). The clip is not kept. The seconds billed are the server's
	 * count where its answer has one ({@code json}, {@code verbose_json}), else the
	 * clip's own length where its header says it (WAV), else none. The caller records the
	 * usage ({@link #recordUsage(long, long, long)}). Blocks for the transcription.
	 */
	public Transcription transcribe(byte[] bytes, TranscriptionOptions options) {
		if (!isOn()) {
			return new Transcription.Refused(404,
					"Speech to text is not set up on this server (switchboard.voice.provider).");
		}
		Checked checked = checked(bytes, null);
		if (checked instanceof Checked.Refused(String reason)) {
			return new Transcription.Refused(bytes != null && bytes.length > maxBytes() ? 413 : 400,
					reason.replace("voice message", "audio file"));
		}
		AudioFormat format = ((Checked.Fine) checked).format();
		Duration length = ((Checked.Fine) checked).length();
		MultiValueMap<String, Object> form = upload(bytes, format);
		form.add("response_format", options.responseFormat());
		String language = options.language() != null ? options.language() : properties.language();
		if (language != null) {
			form.add("language", language);
		}
		if (options.prompt() != null) {
			form.add("prompt", options.prompt());
		}
		if (options.temperature() != null) {
			form.add("temperature", options.temperature());
		}
		org.springframework.http.ResponseEntity<byte[]> answer;
		try {
			answer = upstream.post()
				.uri("/audio/transcriptions")
				.contentType(MediaType.MULTIPART_FORM_DATA)
				.body(form)
				.retrieve()
				.toEntity(byte[].class);
		}
		catch (RestClientResponseException refused) {
			log.warn("transcription failed: HTTP {} {}", refused.getStatusCode().value(),
					refused.getResponseBodyAsString());
			int status = refused.getStatusCode().value();
			// the caller's mistakes (a format the model does not give) are theirs to see;
			// the upstream's own failures are a bad gateway
			return status == 400 || status == 422
					? new Transcription.Failed(400,
							"The speech model refused the request: " + message(refused.getResponseBodyAsString()))
					: new Transcription.Failed(502, "The speech model failed (HTTP " + status + ").");
		}
		catch (RestClientException failed) {
			log.warn("transcription failed: {}", failed.toString());
			return new Transcription.Failed(502, "The speech model could not be reached.");
		}
		byte[] body = answer.getBody() == null ? new byte[0] : answer.getBody();
		Double counted = null;
		if (options.responseFormat().endsWith("json")) {
			try {
				JsonNode json = JSON.readTree(body);
				counted = json.path("usage").path("seconds").isNumber() ? json.get("usage").get("seconds").asDouble()
						: json.path("duration").isNumber() ? json.get("duration").asDouble() : null;
			}
			catch (java.io.IOException notJson) {
				// passed on as it came; billed by the clip's own length
			}
		}
		long millis = counted != null ? Math.round(counted * 1000) : length != null ? length.toMillis() : 0;
		long seconds = (millis + 999) / 1000;
		MediaType type = answer.getHeaders().getContentType();
		meters.counter("switchboard_voice_clips_total", "outcome", "api").increment();
		return new Transcription.Transcribed(type == null ? "application/json" : type.toString(), body, seconds,
				cost(seconds));
	}

	private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

	/** An OpenAI-style error body's message, or the body itself, shortened. */
	private static String message(String body) {
		try {
			JsonNode error = JSON.readTree(body).path("error");
			String text = error.isTextual() ? error.asText() : error.path("message").asText(null);
			if (text != null) {
				return text;
			}
		}
		catch (java.io.IOException | RuntimeException notJson) {
			// as it is
		}
		return body.length() > 300 ? body.substring(0, 300) + "…" : body;
	}

	/**
	 * Adds seconds of audio heard through the API to the key owner's ledger; the call's
	 * request and cost come with the gateway's call log.
	 */
	public void recordApiSeconds(long userId, long seconds) {
		ledger.recordAudioSeconds(userId, properties.model(), seconds, clock.instant());
	}

	/** A stored clip's transcript, by its content hash. */
	public Optional<String> transcriptOf(String sha256) {
		return jdbc.sql("SELECT transcript FROM voice_clips WHERE sha256 = ?")
			.param(sha256)
			.query(String.class)
			.optional();
	}

	private Transcript transcribe(byte[] bytes, AudioFormat format) {
		MultiValueMap<String, Object> form = upload(bytes, format);
		form.add("response_format", "json");
		if (properties.language() != null) {
			form.add("language", properties.language());
		}
		JsonNode answer = upstream.post()
			.uri("/audio/transcriptions")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(form)
			.retrieve()
			.body(JsonNode.class);
		if (answer == null || !answer.path("text").isTextual()) {
			throw new RestClientException("the answer has no text");
		}
		JsonNode usage = answer.path("usage");
		Double seconds = usage.path("seconds").isNumber() ? usage.get("seconds").asDouble()
				: answer.path("duration").isNumber() ? answer.get("duration").asDouble() : null;
		return new Transcript(answer.get("text").asText(), seconds);
	}

	/** The clip and the model, as {@code /audio/transcriptions} takes them. */
	private MultiValueMap<String, Object> upload(byte[] bytes, AudioFormat format) {
		MultiValueMap<String, Object> form = new LinkedMultiValueMap<>();
		HttpHeaders fileHeaders = new HttpHeaders();
		fileHeaders.setContentType(MediaType.parseMediaType(format.mimeType()));
		form.add("file", new HttpEntity<>(new ByteArrayResource(bytes) {
			@Override
			public String getFilename() {
				return "voice." + format.extension(); // servers go by the extension
			}
		}, fileHeaders));
		form.add("model", properties.model());
		return form;
	}

	private String megabytes() {
		DataSizeWords words = new DataSizeWords(properties.maxSize().toBytes());
		return words.toString();
	}

	/** {@code 2:05}, {@code 1:00:00}. */
	private static String clock(Duration length) {
		long seconds = (length.toMillis() + 999) / 1000;
		return seconds >= 3600
				? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
				: String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
	}

	/**
	 * A client for an OpenAI-compatible provider's audio endpoints.
	 * @param setting the setting that names the provider, for start-up errors
	 * @param what what the provider is for, for start-up errors
	 */
	static RestClient upstream(String setting, String name, Duration timeout, String what, LlmProperties llm) {
		LlmProperties.Provider provider = llm.providers().get(name);
		if (provider == null) {
			throw new IllegalStateException(setting + ": there is no provider called \"" + name
					+ "\" under switchboard.llm.providers; configured: "
					+ (llm.providers().isEmpty() ? "none" : String.join(", ", llm.providers().keySet())));
		}
		if (provider.type() != LlmProperties.ProviderType.OPENAI) {
			throw new IllegalStateException(
					setting + ": \"" + name + "\" is a " + provider.type().name().toLowerCase(Locale.ROOT)
							+ " provider; " + what + " needs an OpenAI-compatible one (type openai)");
		}
		String base = (provider.baseUrl() == null ? OPENAI : provider.baseUrl()).toString().replaceAll("/+$", "");
		Map<String, String> headers = new LinkedHashMap<>(provider.headers());
		if (provider.apiKey() != null && !provider.apiKey().isBlank()) {
			boolean bearer = "Authorization".equalsIgnoreCase(provider.apiKeyHeader());
			headers.put(provider.apiKeyHeader(), bearer ? "Bearer " + provider.apiKey() : provider.apiKey());
		}
		HttpClient http = HttpClient.newBuilder()
			.connectTimeout(provider.connectTimeout())
			.executor(Executors.newVirtualThreadPerTaskExecutor())
			.build();
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
		requests.setReadTimeout(timeout);
		return RestClient.builder()
			.baseUrl(base)
			.requestFactory(requests)
			.defaultHeaders(all -> headers.forEach(all::set))
			.build();
	}

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	/**
	 * What the transcription server said: the words, and the seconds it counted if it
	 * did.
	 */
	private record Transcript(String text, Double seconds) {
	}

	/** A size in the unit people read it in: {@code 20 MB}, {@code 512 KB}. */
	private record DataSizeWords(long bytes) {

		@Override
		public String toString() {
			return bytes >= 1024 * 1024 ? bytes / (1024 * 1024) + " MB" : Math.max(1, bytes / 1024) + " KB";
		}

	}

}
