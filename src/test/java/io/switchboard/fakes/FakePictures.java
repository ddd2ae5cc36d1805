package io.switchboard.fakes;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

import javax.imageio.ImageIO;

/**
 * Real, small PNGs for the image backends' fakes: each a flat colour chosen from a seed,
 * so different candidates have different bytes and a test can tell which is which.
 */
public final class FakePictures {

	private FakePictures() {
	}

	public static byte[] png(int width, int height, long seed) {
		BufferedImage image = new BufferedImage(Math.max(1, width), Math.max(1, height), BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		try {
			g.setColor(new Color(Color.HSBtoRGB((seed * 0.137f) % 1f, 0.7f, 0.9f)));
			g.fillRect(0, 0, width, height);
			g.setColor(Color.BLACK);
			g.fillRect(0, 0, Math.max(1, width / 8), Math.max(1, height / 8));
		}
		finally {
			g.dispose();
		}
		return encode(image);
	}

	/**
	 * A 2x2 grid whose quadrants have the colours of seeds {@code seed}..{@code seed+3}.
	 */
	public static byte[] grid(int width, int height, long seed) {
		BufferedImage grid = new BufferedImage(width * 2, height * 2, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = grid.createGraphics();
		try {
			for (int i = 0; i < 4; i++) {
				g.drawImage(read(png(width, height, seed + i)), (i % 2) * width, (i / 2) * height, null);
			}
		}
		finally {
			g.dispose();
		}
		return encode(grid);
	}

	/** The image enlarged {@code factor} times. */
	public static byte[] enlarge(byte[] png, int factor) {
		BufferedImage source = read(png);
		BufferedImage large = new BufferedImage(source.getWidth() * factor, source.getHeight() * factor,
				BufferedImage.TYPE_INT_RGB);
		Graphics2D g = large.createGraphics();
		try {
			g.drawImage(source, 0, 0, large.getWidth(), large.getHeight(), null);
		}
		finally {
			g.dispose();
		}
		return encode(large);
	}

	public static BufferedImage read(byte[] bytes) {
		try {
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
			if (image == null) {
				throw new IllegalArgumentException("not an image");
			}
			return image;
		}
		catch (IOException broken) {
			throw new UncheckedIOException(broken);
		}
	}

	public static String base64(byte[] bytes) {
		return Base64.getEncoder().encodeToString(bytes);
	}

	static byte[] encode(BufferedImage image) {
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ImageIO.write(image, "png", out);
			return out.toByteArray();
		}
		catch (IOException impossible) {
			throw new UncheckedIOException(impossible);
		}
	}

}
