package io.switchboard.voice;

/**
 * One piece of an answer spoken aloud, as kept.
 *
 * @param answer the answer's message id
 * @param piece its place among the answer's pieces, from 0
 * @param mimeType {@code audio/mpeg}
 * @param durationMillis how long it plays (LINE's audio message states it)
 * @param bytes the audio
 */
public record Spoken(long answer, int piece, String mimeType, long durationMillis, byte[] bytes) {

	/** A file name for platforms that upload files. */
	public String fileName() {
		return "answer-" + answer + (piece > 0 ? "-" + (piece + 1) : "") + ".mp3";
	}

}
