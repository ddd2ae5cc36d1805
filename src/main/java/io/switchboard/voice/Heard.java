package io.switchboard.voice;

/** What became of a voice message. */
public sealed interface Heard {

	/**
	 * Its words.
	 *
	 * @param text the transcript, never blank
	 * @param clip the stored audio's content hash (sha256), the key of its row with the
	 * transcript
	 * @param seconds the audio's length in whole seconds (rounded up), as billed
	 * @param costNanos what hearing it cost, in billionths of a US dollar
	 */
	record Words(String text, String clip, long seconds, long costNanos) implements Heard {
	}

	/**
	 * Not heard: too long, too large, not audio, nothing said, or the transcription
	 * service failed.
	 *
	 * @param reason what to tell the sender
	 */
	record NotHeard(String reason) implements Heard {
	}

}
