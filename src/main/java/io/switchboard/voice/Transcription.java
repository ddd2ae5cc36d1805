package io.switchboard.voice;

/** What became of a transcription asked for through the API. */
public sealed interface Transcription {

	/**
	 * The model's answer, as it gave it.
	 *
	 * @param contentType its media type ({@code application/json}, {@code text/plain},
	 * ...)
	 * @param seconds the audio's length in whole seconds (rounded up), as billed; 0 when
	 * neither the model nor the file said
	 * @param costNanos what it cost, in billionths of a US dollar
	 */
	record Transcribed(String contentType, byte[] body, long seconds, long costNanos) implements Transcription {
	}

	/**
	 * Refused before anything was sent (too long, too large, not audio, speech to text
	 * off).
	 *
	 * @param status the HTTP status for the caller
	 */
	record Refused(int status, String message) implements Transcription {
	}

	/**
	 * The speech model refused or failed.
	 *
	 * @param status 400 when the request was at fault, 502 for the model's own failure
	 */
	record Failed(int status, String message) implements Transcription {
	}

}
