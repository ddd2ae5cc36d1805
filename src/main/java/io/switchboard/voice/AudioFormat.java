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

	private static final int[] MPEG1_KBPS = { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 };

	private static final int[] MPEG2_KBPS = { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 };

	private static final int[] MPEG1_HZ = { 44100, 48000, 32000 };

	/**
	 * An MP3 file's length, by walking its Layer III frames (after an ID3v2 tag) and
	 * adding up their samples: right for constant and variable bit rates alike. Empty
	 * when the bytes are not such frames.
	 */
	public static Optional<Duration> mp3Duration(byte[] bytes) {
		int at = 0;
		if (startsWith(bytes, 0, "ID3") && bytes.length >= 10) {
			at = 10 + ((bytes[6] & 0x7F) << 21 | (bytes[7] & 0x7F) << 14 | (bytes[8] & 0x7F) << 7 | bytes[9] & 0x7F);
		}
		double seconds = 0;
		int frames = 0;
		while (at + 4 <= bytes.length) {
			int b1 = bytes[at + 1] & 0xFF;
			int b2 = bytes[at + 2] & 0xFF;
			if ((bytes[at] & 0xFF) != 0xFF || (b1 & 0xE0) != 0xE0) {
				break;
			}
			int version = b1 >> 3 & 0x3; // 3: MPEG 1, 2: MPEG 2, 0: MPEG 2.5
			int layer = b1 >> 1 & 0x3; // 1: Layer III
			int bitrateIndex = b2 >> 4;
			int rateIndex = b2 >> 2 & 0x3;
			if (version == 1 || layer != 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
				break;
			}
			boolean mpeg1 = version == 3;
			int hertz = MPEG1_HZ[rateIndex] / (mpeg1 ? 1 : version == 2 ? 2 : 4);
			int kbps = (mpeg1 ? MPEG1_KBPS : MPEG2_KBPS)[bitrateIndex];
			int samples = mpeg1 ? 1152 : 576;
			int length = samples / 8 * kbps * 1000 / hertz + (b2 >> 1 & 0x1);
			seconds += (double) samples / hertz;
			frames++;
			at += length;
		}
		return frames == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
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
