package io.switchboard.image.provider;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Pixel work every provider may need: reading and writing PNGs, composing four candidates
 * into a 2x2 grid with numbered corners (for platforms that show one image per message),
 * splitting a grid into its quadrants (midjourney-proxy returns one grid image), and
 * enlarging for backends without an upscaler.
 */
public final class Images {

	/** The largest side of one cell in a composed grid. */
	static final int GRID_CELL = 512;

	private Images() {
	}

	public static BufferedImage read(byte[] bytes) {
		try {
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
			if (image == null) {
				throw new ImageProviderException.Refused("The image backend sent something that is not an image.");
			}
			return image;
		}
		catch (IOException broken) {
			throw new ImageProviderException.Refused("The image backend sent an image that cannot be read.", broken);
		}
	}

	public static byte[] png(BufferedImage image) {
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			ImageIO.write(image, "png", out);
			return out.toByteArray();
		}
		catch (IOException impossible) {
			throw new UncheckedIOException(impossible);
		}
	}

	/**
	 * The four candidates in a 2x2 grid, each numbered 1-4 in its top-left corner (1 2 on
	 * top, 3 4 below, as Midjourney's U1-U4 count).
	 */
	public static byte[] grid(List<byte[]> candidates) {
		if (candidates.size() != 4) {
			throw new IllegalArgumentException("a grid has four candidates, not " + candidates.size());
		}
		List<BufferedImage> images = candidates.stream().map(Images::read).toList();
		BufferedImage first = images.getFirst();
		double scale = Math.min(1.0, (double) GRID_CELL / Math.max(first.getWidth(), first.getHeight()));
		int cellWidth = Math.max(1, (int) Math.round(first.getWidth() * scale));
		int cellHeight = Math.max(1, (int) Math.round(first.getHeight() * scale));
		BufferedImage grid = new BufferedImage(cellWidth * 2, cellHeight * 2, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = grid.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			int badge = Math.max(18, Math.min(cellWidth, cellHeight) / 9);
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, (int) (badge * 0.62)));
			for (int i = 0; i < 4; i++) {
				int x = (i % 2) * cellWidth;
				int y = (i / 2) * cellHeight;
				g.drawImage(images.get(i), x, y, cellWidth, cellHeight, null);
				int margin = Math.max(4, badge / 4);
				g.setColor(new Color(0, 0, 0, 170));
				g.fillOval(x + margin, y + margin, badge, badge);
				g.setColor(Color.WHITE);
				g.setStroke(new BasicStroke(Math.max(1.5f, badge / 14f)));
				g.drawOval(x + margin, y + margin, badge, badge);
				String number = Integer.toString(i + 1);
				FontMetrics metrics = g.getFontMetrics();
				g.drawString(number, x + margin + (badge - metrics.stringWidth(number)) / 2,
						y + margin + (badge - metrics.getHeight()) / 2 + metrics.getAscent());
			}
		}
		finally {
			g.dispose();
		}
		return png(grid);
	}

	/** A grid image's four quadrants, 1 2 on top and 3 4 below. */
	public static List<byte[]> quadrants(byte[] gridBytes) {
		BufferedImage grid = read(gridBytes);
		int halfWidth = grid.getWidth() / 2;
		int halfHeight = grid.getHeight() / 2;
		if (halfWidth < 1 || halfHeight < 1) {
			throw new ImageProviderException.Refused("The image backend sent a grid too small to split.");
		}
		List<byte[]> parts = new ArrayList<>(4);
		for (int i = 0; i < 4; i++) {
			BufferedImage part = new BufferedImage(halfWidth, halfHeight, BufferedImage.TYPE_INT_RGB);
			Graphics2D g = part.createGraphics();
			try {
				int x = (i % 2) * halfWidth;
				int y = (i / 2) * halfHeight;
				g.drawImage(grid, 0, 0, halfWidth, halfHeight, x, y, x + halfWidth, y + halfHeight, null);
			}
			finally {
				g.dispose();
			}
			parts.add(png(part));
		}
		return parts;
	}

	/**
	 * The image enlarged {@code factor} times, smoothly (for backends without an
	 * upscaler).
	 */
	public static byte[] enlarge(byte[] bytes, int factor) {
		BufferedImage source = read(bytes);
		BufferedImage current = toRgb(source);
		int targetWidth = source.getWidth() * factor;
		int targetHeight = source.getHeight() * factor;
		// doubling in steps keeps bicubic sampling from going soft on large factors
		while (current.getWidth() < targetWidth) {
			int width = Math.min(targetWidth, current.getWidth() * 2);
			int height = Math.min(targetHeight, current.getHeight() * 2);
			BufferedImage next = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
			Graphics2D g = next.createGraphics();
			try {
				g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
				g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
				g.drawImage(current, 0, 0, width, height, null);
			}
			finally {
				g.dispose();
			}
			current = next;
		}
		return png(current);
	}

	static BufferedImage toRgb(BufferedImage image) {
		if (image.getType() == BufferedImage.TYPE_INT_RGB) {
			return image;
		}
		BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
		Graphics2D g = rgb.createGraphics();
		try {
			g.setColor(Color.WHITE);
			g.fillRect(0, 0, image.getWidth(), image.getHeight());
			g.setComposite(AlphaComposite.SrcOver);
			g.drawImage(image, 0, 0, null);
		}
		finally {
			g.dispose();
		}
		return rgb;
	}

}
