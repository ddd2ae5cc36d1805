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
		this.upstream = properties.isOn() ? upstream(properties, llm) : null;
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

	private Heard check(byte[] bytes, Duration reported) {
		if (!isOn()) {
			return new Heard.NotHeard("I cannot listen to voice messages on this server; please type instead.");
		}
		if (bytes == null || bytes.length == 0) {
			return new Heard.NotHeard("The voice message is empty.");
		}
		if (bytes.length > properties.maxSize().toBytes()) {
			return new Heard.NotHeard(tooLarge());
		}
		Optional<AudioFormat> format = AudioFormat.sniff(bytes);
		if (format.isEmpty()) {
			return new Heard.NotHeard(
					"That is not audio I can listen to (Ogg/Opus, M4A/AAC, MP3, WAV or WebM are fine).");
		}
		// the longer of what the platform said and what the header says: neither is
		// trusted to shorten the other
		Duration length = AudioFormat.wavDuration(bytes)
			.map(own -> reported == null || own.compareTo(reported) >= 0 ? own : reported)
			.orElse(reported);
		if (length != null && length.compareTo(properties.maxDuration()) > 0) {
			return new Heard.NotHeard("The voice message is " + clock(length) + " long; this server listens to "
					+ clock(properties.maxDuration()) + " at most.");
		}
		Transcript transcript;
		try {
			transcript = transcribe(bytes, format.get());
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
		long cost = properties.pricePerMinute()
			.multiply(BigDecimal.valueOf(seconds))
			.multiply(NANOS_PER_DOLLAR)
			.divide(BigDecimal.valueOf(60), 0, RoundingMode.HALF_UP)
			.longValueExact();
		String sha256 = sha256(bytes);
		jdbc.sql(
				"""
						INSERT INTO voice_clips (sha256, mime_type, size_bytes, duration_ms, transcript, model, bytes, created_at)
						VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING""")
			.params(sha256, format.get().mimeType(), bytes.length, millis, transcript.text().strip(),
					properties.model(), bytes, clock.millis())
			.update();
		return new Heard.Words(transcript.text().strip(), sha256, seconds, cost);
	}

	/** A stored clip's transcript, by its content hash. */
	public Optional<String> transcriptOf(String sha256) {
		return jdbc.sql("SELECT transcript FROM voice_clips WHERE sha256 = ?")
			.param(sha256)
			.query(String.class)
			.optional();
	}

	private Transcript transcribe(byte[] bytes, AudioFormat format) {
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

	private static RestClient upstream(VoiceProperties properties, LlmProperties llm) {
		LlmProperties.Provider provider = llm.providers().get(properties.provider());
		if (provider == null) {
			throw new IllegalStateException("switchboard.voice.provider: there is no provider called \""
					+ properties.provider() + "\" under switchboard.llm.providers; configured: "
					+ (llm.providers().isEmpty() ? "none" : String.join(", ", llm.providers().keySet())));
		}
		if (provider.type() != LlmProperties.ProviderType.OPENAI) {
			throw new IllegalStateException("switchboard.voice.provider: \"" + properties.provider() + "\" is a "
					+ provider.type().name().toLowerCase(Locale.ROOT)
					+ " provider; speech to text needs an OpenAI-compatible one (type openai)");
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
		requests.setReadTimeout(properties.timeout());
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
