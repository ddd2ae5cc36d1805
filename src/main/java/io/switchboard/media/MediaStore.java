package io.switchboard.media;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Optional;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.springframework.stereotype.Service;

/**
 * Keeps image bytes once per content. Only real PNG, JPEG, GIF and WebP images are
 * accepted: the type is read from the bytes, never taken from a file name or a header a
 * client sent.
 */
@Service
public class MediaStore {

	private final MediaBytes storage;

	private final MediaProperties properties;

	MediaStore(MediaBytes storage, MediaProperties properties) {
		this.storage = storage;
		this.properties = properties;
	}

	/**
	 * Stores an image, or finds it stored already.
	 * @throws MediaRejected when the bytes are not an accepted image or are too large
	 */
	public MediaRef store(byte[] bytes) {
		if (bytes == null || bytes.length == 0) {
			throw new MediaRejected("The file is empty.");
		}
		if (bytes.length > properties.maxImageSize().toBytes()) {
			throw new MediaRejected("The image is larger than " + properties.maxImageSize().toMegabytes() + " MB.");
		}
		String mime = sniff(bytes)
			.orElseThrow(() -> new MediaRejected("That file is not an image (PNG, JPEG, GIF or WebP)."));
		int[] size = dimensions(bytes);
		if ((long) size[0] * size[1] > properties.maxImagePixels()) {
			throw new MediaRejected("The image has too many pixels (" + size[0] + "x" + size[1] + ").");
		}
		MediaRef ref = new MediaRef(sha256(bytes), mime, bytes.length, size[0], size[1]);
		storage.save(ref, bytes);
		return ref;
	}

	public Optional<MediaRef> find(String sha256) {
		return storage.find(sha256);
	}

	public Optional<Media> load(String sha256) {
		return storage.load(sha256);
	}

	/** Whether a text is a sha256 in hex, as the store's keys are. */
	static boolean isSha256(String text) {
		return text != null && text.matches("[0-9a-f]{64}");
	}

	/** The image type from its first bytes (its "magic number"). */
	static Optional<String> sniff(byte[] bytes) {
		if (startsWith(bytes, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
			return Optional.of("image/png");
		}
		if (startsWith(bytes, 0, 0xFF, 0xD8, 0xFF)) {
			return Optional.of("image/jpeg");
		}
		if (startsWith(bytes, 0, 'G', 'I', 'F', '8')) {
			return Optional.of("image/gif");
		}
		if (startsWith(bytes, 0, 'R', 'I', 'F', 'F') && startsWith(bytes, 8, 'W', 'E', 'B', 'P')) {
			return Optional.of("image/webp");
		}
		return Optional.empty();
	}

	/** Width and height read from the header, without decoding the pixels. */
	private static int[] dimensions(byte[] bytes) {
		try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
			Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
			if (!readers.hasNext()) {
				throw new MediaRejected("That image cannot be read.");
			}
			ImageReader reader = readers.next();
			try {
				reader.setInput(input, true, true);
				return new int[] { reader.getWidth(0), reader.getHeight(0) };
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException | RuntimeException broken) {
			if (broken instanceof MediaRejected rejected) {
				throw rejected;
			}
			throw new MediaRejected("That image is damaged and cannot be read.");
		}
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

	static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

}
