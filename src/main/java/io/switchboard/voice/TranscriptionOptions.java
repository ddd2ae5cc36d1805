package io.switchboard.voice;

import java.util.Set;

/**
 * What a caller of the API may ask of a transcription, as OpenAI's
 * {@code /audio/transcriptions} takes it.
 *
 * @param responseFormat {@code json}, {@code text}, {@code srt}, {@code verbose_json} or
 * {@code vtt}
 * @param language an ISO-639-1 hint, or {@code null} for the server's setting
 * @param prompt text to guide the model's style or spelling, or {@code null}
 * @param temperature a sampling temperature from 0 to 1 as the caller wrote it, or
 * {@code null}
 */
public record TranscriptionOptions(String responseFormat, String language, String prompt, String temperature) {

	/** The formats OpenAI's API gives. */
	public static final Set<String> FORMATS = Set.of("json", "text", "srt", "verbose_json", "vtt");

	public TranscriptionOptions {
		if (responseFormat == null || responseFormat.isBlank()) {
			responseFormat = "json";
		}
		if (!FORMATS.contains(responseFormat)) {
			throw new IllegalArgumentException("response_format must be one of json, text, srt, verbose_json, vtt");
		}
		if (language != null && !language.matches("[A-Za-z]{2,3}")) {
			throw new IllegalArgumentException("language must be an ISO-639-1 code such as 'en'");
		}
		if (prompt != null && prompt.isBlank()) {
			prompt = null;
		}
		if (temperature != null) {
			double value;
			try {
				value = Double.parseDouble(temperature);
			}
			catch (NumberFormatException notNumber) {
				throw new IllegalArgumentException("temperature must be a number from 0 to 1");
			}
			if (!(value >= 0 && value <= 1)) {
				throw new IllegalArgumentException("temperature must be a number from 0 to 1");
			}
		}
	}

}
