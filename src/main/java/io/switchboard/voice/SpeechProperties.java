package io.switchboard.voice;

import java.math.BigDecimal;
import java.time.Duration;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Spoken answers (text to speech), bound from {@code switchboard.voice.speech.*}. Off
 * until a provider is named; then each user switches them on for themselves with
 * {@code /user voice on}.
 *
 * @param provider the OpenAI-compatible provider (from {@code switchboard.llm.providers})
 * whose {@code /audio/speech} endpoint speaks answers
 * @param model the speech model, e.g. {@code tts-1}, {@code gpt-4o-mini-tts}
 * @param voice the model's voice, e.g. {@code alloy}
 * @param maxCharacters the longest piece of text sent in one request (OpenAI takes 4,096
 * characters); a longer answer is spoken in several pieces, split between sentences
 * @param maxPieces the most pieces one answer is spoken in; the rest is left unspoken
 * @param pricePerMillionCharacters US dollars per million characters spoken, for the
 * usage ledger
 * @param timeout how long speaking one piece may take
 */
@Validated
@ConfigurationProperties("switchboard.voice.speech")
public record SpeechProperties(String provider, @NotBlank @DefaultValue("tts-1") String model,
		@NotBlank @DefaultValue("alloy") String voice, @DefaultValue("4096") int maxCharacters,
		@DefaultValue("5") int maxPieces, @DefaultValue("0") @DecimalMin("0") BigDecimal pricePerMillionCharacters,
		@DefaultValue("60s") Duration timeout) {

	public SpeechProperties {
		if (maxCharacters < 100) {
			throw new IllegalArgumentException(
					"switchboard.voice.speech.max-characters must be at least 100, not " + maxCharacters);
		}
		if (maxPieces < 1) {
			throw new IllegalArgumentException(
					"switchboard.voice.speech.max-pieces must be at least 1, not " + maxPieces);
		}
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("switchboard.voice.speech.timeout must be positive, not " + timeout);
		}
	}

	/** Whether answers can be spoken at all. */
	boolean isOn() {
		return provider != null && !provider.isBlank();
	}

}
