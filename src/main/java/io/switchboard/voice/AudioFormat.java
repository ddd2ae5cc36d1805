package io.switchboard.voice;

import java.time.Duration;
import java.util.Optional;

/**
 * The audio formats taken, each recognised by its first bytes, never by a file name or a
 * type a client sent. The file name sent upstream carries the extension transcription
 * servers go by.
 */
public enum AudioFormat {

	OGG("audio/ogg", "ogg"), WEBM("audio/webm", "webm"), M4A("audio/mp4", "m4a"), MP3("audio/mpeg", "mp3"),
	WAV("audio/wav", "wav");

	private final String mimeType;

	private final String extension;

	AudioFormat(String mimeType, String extension) {
		this.mimeType = mimeType;
		this.extension = extension;
	}

	public String mimeType() {
		return mimeType;
	}

	public String extension() {
		return extension;
	}

	/** The format the bytes are in, read from their header. */
	public static Optional<AudioFormat> sniff(byte[] bytes) {
		if (bytes == null) {
			return Optional.empty();
		}
		if (startsWith(bytes, 0, "OggS")) {
			return Optional.of(OGG); // Ogg/Opus (LINE, Discord, WhatsApp), Ogg/Vorbis
		}
		if (startsWith(bytes, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
			return Optional.of(WEBM); // EBML: what browsers record
		}
		if (startsWith(bytes, 4, "ftyp")) {
			return Optional.of(M4A); // MP4 container: m4a/aac (LINE on iOS, Slack clips)
		}
		if (startsWith(bytes, 0, "RIFF") && startsWith(bytes, 8, "WAVE")) {
			return Optional.of(WAV);
		}
		if (startsWith(bytes, 0, "ID3") || bytes.length > 1 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xE0) == 0xE0) {
			return Optional.of(MP3); // an ID3 tag, or an MPEG audio frame sync
		}
		return Optional.empty();
	}

	/**
	 * A WAV file's length from its header (the {@code fmt } chunk's byte rate and the
	 * {@code data} chunk's size); empty for other formats or a header that does not add
	 * up.
	 */
	static Optional<Duration> wavDuration(byte[] bytes) {
		if (sniff(bytes).orElse(null) != WAV) {
			return Optional.empty();
		}
		long byteRate = 0;
		int at = 12;
		while (at + 8 <= bytes.length) {
			String id = new String(bytes, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
			long size = littleEndian(bytes, at + 4, 4);
			if (id.equals("fmt ") && at + 16 <= bytes.length) {
				byteRate = littleEndian(bytes, at + 16, 4);
			}
			else if (id.equals("data")) {
				long dataSize = Math.min(size, bytes.length - (at + 8L));
				return byteRate <= 0 ? Optional.empty() : Optional.of(Duration.ofMillis(dataSize * 1000 / byteRate));
			}
			at += 8 + (int) Math.min(size + (size & 1), Integer.MAX_VALUE - at - 8);
		}
		return Optional.empty();
	}

	private static long littleEndian(byte[] bytes, int at, int length) {
		long value = 0;
		for (int i = length - 1; i >= 0; i--) {
			value = value << 8 | (bytes[at + i] & 0xFF);
		}
		return value;
	}

	private static boolean startsWith(byte[] bytes, int offset, String magic) {
		return startsWith(bytes, offset, magic.chars().toArray());
	}

	private static boolean startsWith(byte[] bytes, int offset, int... magic) {
		if (bytes.length < offset + magic.length) {
			return false;
		}
		for (int i = 0; i < magic.length; i++) {
			if ((bytes[offset + i] & 0xFF) != magic[i]) {
				return false;
			}
		}
		return true;
	}

}
