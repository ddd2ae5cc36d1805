package io.switchboard.fakes;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Small real audio files made in tests. */
public final class Sounds {

	private static final int RATE = 8000;

	private Sounds() {
	}

	/** A sine tone as a 16-bit mono PCM WAV file, 8 kHz. */
	public static byte[] sineWav(double seconds, double hertz) {
		int samples = (int) Math.round(seconds * RATE);
		ByteBuffer wav = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
		wav.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes());
		wav.put("fmt ".getBytes())
			.putInt(16)
			.putShort((short) 1)
			.putShort((short) 1)
			.putInt(RATE)
			.putInt(RATE * 2)
			.putShort((short) 2)
			.putShort((short) 16);
		wav.put("data".getBytes()).putInt(samples * 2);
		for (int i = 0; i < samples; i++) {
			wav.putShort((short) (Math.sin(2 * Math.PI * hertz * i / RATE) * 12_000));
		}
		return wav.array();
	}

	/**
	 * A WAV file's length in whole seconds, rounded up, from its header (8 kHz 16-bit
	 * mono as made here, or any PCM WAV); 1 for anything else.
	 */
	public static long wavSeconds(byte[] bytes) {
		if (bytes.length < 44 || !new String(bytes, 0, 4).equals("RIFF")) {
			return 1;
		}
		ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		int byteRate = header.getInt(28);
		int data = header.getInt(40);
		return byteRate <= 0 ? 1 : (data + byteRate - 1L) / byteRate;
	}

	/**
	 * An MP3 file of silent MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, 1,152 samples
	 * each), lasting about {@code seconds}: real frame headers, as a player or LINE reads
	 * them, with empty audio data.
	 */
	public static byte[] silentMp3(double seconds) {
		int frames = (int) Math.round(seconds * 44100 / 1152);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (int i = 0; i < frames; i++) {
			// 144 * 128000 / 44100 = 417 bytes, no padding
			byte[] frame = new byte[417];
			frame[0] = (byte) 0xFF;
			frame[1] = (byte) 0xFB; // MPEG-1, Layer III, no CRC
			frame[2] = (byte) 0x90; // 128 kbit/s, 44.1 kHz, no padding
			frame[3] = (byte) 0x64; // joint stereo
			out.writeBytes(frame);
		}
		return out.toByteArray();
	}

	/** The first bytes of formats the tests only need recognised. */
	public static byte[] header(String format) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		switch (format) {
			case "ogg" -> out.writeBytes("OggS\0\2\0\0\0\0\0\0\0\0OpusHead".getBytes());
			case "webm" -> out.writeBytes(new byte[] { 0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, 0, 0, 0, 0 });
			case "m4a" -> out.writeBytes("\0\0\0\u0020ftypM4A \0\0\0\0".getBytes());
			case "mp3" -> out.writeBytes("ID3\4\0\0\0\0\0\0".getBytes());
			default -> throw new IllegalArgumentException(format);
		}
		out.writeBytes(new byte[64]);
		return out.toByteArray();
	}

}
