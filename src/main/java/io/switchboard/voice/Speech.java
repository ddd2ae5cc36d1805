package io.switchboard.voice;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.llm.LlmProperties;
import io.switchboard.usage.UsageLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Spoken answers: who wants them ({@code /user voice on}), and an answer's text spoken by
 * an OpenAI-compatible {@code POST /audio/speech} as MP3, split between sentences into
 * pieces the model takes. An answer is spoken once and kept: a delivery sent again plays
 * the same audio and is billed once. Speaking is one blocking HTTP call per piece: make
 * it on a virtual thread, outside any database transaction.
 */
@Service
public class Speech {

	private static final Logger log = LoggerFactory.getLogger(Speech.class);

	private static final BigDecimal NANOS_PER_DOLLAR = BigDecimal.valueOf(1_000_000_000L);

	private final SpeechProperties properties;

	private final JdbcClient jdbc;

	private final UsageLedger ledger;

	private final MeterRegistry meters;

	private final Clock clock;

	/** Where answers are spoken; {@code null} while spoken answers are off. */
	private final RestClient upstream;

	private final io.switchboard.media.MediaLinks links;

	Speech(SpeechProperties properties, LlmProperties llm, JdbcClient jdbc, UsageLedger ledger, MeterRegistry meters,
			Clock clock, io.switchboard.media.MediaLinks links) {
		this.links = links;
		this.properties = properties;
		this.jdbc = jdbc;
		this.ledger = ledger;
		this.meters = meters;
		this.clock = clock;
		this.upstream = properties.isOn() ? Voice.upstream("switchboard.voice.speech.provider", properties.provider(),
				properties.timeout(), "text to speech", llm) : null;
	}

	/** Whether answers can be spoken on this server. */
	public boolean isOn() {
		return upstream != null;
	}

	/** Whether a user asked for spoken answers. */
	public boolean wanted(long userId) {
		return jdbc.sql("SELECT COUNT(*) FROM voice_speakers WHERE user_id = ?")
			.param(userId)
			.query(Long.class)
			.single() > 0;
	}

	/** Switches a user's spoken answers on or off. */
	public void want(long userId, boolean on) {
		if (on) {
			jdbc.sql("INSERT INTO voice_speakers (user_id, changed_at) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING")
				.params(userId, clock.millis())
				.update();
		}
		else {
			jdbc.sql("DELETE FROM voice_speakers WHERE user_id = ?").param(userId).update();
		}
	}

	/**
	 * An answer spoken, for its asker if they want it: the kept pieces, else spoken now
	 * (and billed to the asker). Empty when spoken answers are off, not wanted, the text
	 * is blank, or the speech model failed (the answer still goes out as text).
	 */
	public List<Spoken> speak(long answerId, long userId, String text) {
		if (!isOn() || text == null || text.isBlank() || !wanted(userId)) {
			return List.of();
		}
		List<Spoken> kept = kept(answerId);
		if (!kept.isEmpty()) {
			return kept;
		}
		List<String> pieces = split(plain(text), properties.maxCharacters());
		List<Spoken> spoken = new ArrayList<>();
		long characters = 0;
		long millis = 0;
		try {
			for (int i = 0; i < Math.min(pieces.size(), properties.maxPieces()); i++) {
				byte[] audio = upstream.post()
					.uri("/audio/speech")
					.contentType(MediaType.APPLICATION_JSON)
					.body(Map.of("model", properties.model(), "input", pieces.get(i), "voice", properties.voice(),
							"response_format", "mp3"))
					.retrieve()
					.body(byte[].class);
				if (audio == null || audio.length == 0) {
					throw new RestClientException("the speech model sent no audio");
				}
				long duration = AudioFormat.mp3Duration(audio).map(java.time.Duration::toMillis).orElse(0L);
				spoken.add(new Spoken(answerId, i, "audio/mpeg", duration, audio));
				characters += pieces.get(i).length();
				millis += duration;
			}
		}
		catch (RestClientException failed) {
			log.warn("speaking answer {} failed: {}", answerId, failed.toString());
			meters.counter("switchboard_voice_speech_total", "outcome", "failed").increment();
			return List.of();
		}
		int stored = 0;
		for (Spoken piece : spoken) {
			stored += jdbc
				.sql("""
						INSERT INTO voice_speech (answer_id, piece, user_id, mime_type, duration_ms, characters, model, bytes,
						created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (answer_id, piece) DO NOTHING""")
				.params(answerId, piece.piece(), userId, piece.mimeType(), piece.durationMillis(),
						pieces.get(piece.piece()).length(), properties.model(), piece.bytes(), clock.millis())
				.update();
		}
		if (stored == spoken.size()) {
			// billed once: a second speaker of the same answer (a race) stored nothing
			long cost = properties.pricePerMillionCharacters()
				.multiply(BigDecimal.valueOf(characters))
				.multiply(NANOS_PER_DOLLAR)
				.divide(BigDecimal.valueOf(1_000_000), 0, RoundingMode.HALF_UP)
				.longValueExact();
			ledger.recordAudio(userId, properties.model(), (millis + 999) / 1000, cost, clock.instant());
		}
		meters.counter("switchboard_voice_speech_total", "outcome", "spoken").increment();
		return kept(answerId);
	}

	/** The kept pieces of an answer, in order. */
	public List<Spoken> kept(long answerId) {
		return jdbc
			.sql("SELECT piece, mime_type, duration_ms, bytes FROM voice_speech WHERE answer_id = ? ORDER BY piece")
			.param(answerId)
			.query((row, i) -> new Spoken(answerId, row.getInt(1), row.getString(2), row.getLong(3), row.getBytes(4)))
			.list();
	}

	/**
	 * Signed links to the kept pieces of several answers (none loaded), so that a page of
	 * history shows a player under every answer that was spoken.
	 * @return the links of each answer that has pieces, in order
	 */
	public Map<Long, List<String>> paths(java.util.Collection<Long> answerIds) {
		if (answerIds.isEmpty()) {
			return Map.of();
		}
		Map<Long, List<String>> paths = new java.util.HashMap<>();
		jdbc.sql("SELECT answer_id, piece FROM voice_speech WHERE answer_id IN (:answers) ORDER BY answer_id, piece")
			.param("answers", List.copyOf(answerIds))
			.query((row, i) -> {
				long answer = row.getLong(1);
				paths.computeIfAbsent(answer, key -> new ArrayList<>())
					.add(links.signedPath(SpeechController.path(answer, row.getInt(2))));
				return answer;
			})
			.list();
		return paths;
	}

	/** One kept piece. */
	public Optional<Spoken> piece(long answerId, int piece) {
		return kept(answerId).stream().filter(spoken -> spoken.piece() == piece).findFirst();
	}

	/** A signed link to a piece, relative to this server (for its own pages). */
	public String path(Spoken spoken) {
		return links.signedPath(SpeechController.path(spoken));
	}

	/** A signed link to a piece under the public base URL (for chat platforms). */
	public java.net.URI publicUrl(Spoken spoken) {
		return links.publicSignedUrl(SpeechController.path(spoken));
	}

	/** Markdown's marks are not read aloud. */
	static String plain(String markdown) {
		return markdown.replaceAll("```[a-zA-Z0-9_-]*\\n?", "")
			.replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1")
			.replaceAll("[*_`#>|]+", "")
			.replaceAll("\\n{2,}", "\n")
			.strip();
	}

	/**
	 * Pieces of at most {@code max} characters, broken after a sentence where one ends in
	 * the second half of a piece, else after a space, else anywhere.
	 */
	static List<String> split(String text, int max) {
		List<String> pieces = new ArrayList<>();
		String rest = text.strip();
		while (rest.length() > max) {
			int cut = -1;
			for (int i = max - 1; i >= max / 2; i--) {
				char c = rest.charAt(i);
				if ((c == '.' || c == '!' || c == '?' || c == '\n' || c == '。' || c == '！' || c == '？')) {
					cut = i + 1;
					break;
				}
			}
			if (cut < 0) {
				cut = rest.lastIndexOf(' ', max);
				if (cut < max / 2) {
					cut = max;
				}
			}
			pieces.add(rest.substring(0, cut).strip());
			rest = rest.substring(cut).strip();
		}
		if (!rest.isEmpty()) {
			pieces.add(rest);
		}
		return pieces;
	}

}
