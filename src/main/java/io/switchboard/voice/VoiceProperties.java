package io.switchboard.voice;

import java.math.BigDecimal;
import java.time.Duration;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Speech to text, bound from {@code switchboard.voice.*}. Off until a provider is named.
 *
 * @param provider the OpenAI-compatible provider (from {@code switchboard.llm.providers})
 * whose {@code /audio/transcriptions} endpoint hears voice messages, with its base URL
 * and key; none by default, and then voice messages are answered that they cannot be
 * heard
 * @param model the transcription model asked, e.g. {@code whisper-1},
 * {@code gpt-4o-mini-transcribe}, {@code whisper-large-v3} (Groq)
 * @param language an ISO-639-1 hint sent with every clip (e.g. {@code en}); none lets the
 * model find out
 * @param maxSize the largest voice message taken
 * @param maxDuration the longest voice message taken
 * @param pricePerMinute US dollars per minute of audio, for the usage ledger
 * @param timeout how long a transcription may take
 */
@Validated
@ConfigurationProperties("switchboard.voice")
public record VoiceProperties(String provider, @NotBlank @DefaultValue("whisper-1") String model, String language,
		@DefaultValue("20MB") DataSize maxSize, @DefaultValue("5m") Duration maxDuration,
		@DefaultValue("0") @DecimalMin("0") BigDecimal pricePerMinute, @DefaultValue("60s") Duration timeout) {

	public VoiceProperties {
		if (maxSize.toBytes() <= 0) {
			throw new IllegalArgumentException("switchboard.voice.max-size must be positive, not " + maxSize);
		}
		if (maxDuration.isNegative() || maxDuration.isZero()) {
			throw new IllegalArgumentException("switchboard.voice.max-duration must be positive, not " + maxDuration);
		}
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("switchboard.voice.timeout must be positive, not " + timeout);
		}
		if (language != null && language.isBlank()) {
			language = null;
		}
	}

	/** Whether voice messages are heard at all. */
	boolean isOn() {
		return provider != null && !provider.isBlank();
	}

}
