package io.switchboard.comic;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.LineBreakMeasurer;
import java.awt.font.TextLayout;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.AttributedCharacterIterator;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.springframework.stereotype.Component;

/**
 * Composes four panel images into one strip with Java2D: a title band, the panels in one
 * column (four-cut) or two by two, each panel's caption in a box at its top and its
 * dialogue in a speech balloon at its bottom. Text wraps where each script allows
 * (between words, or between any two CJK characters) and takes each character from the
 * first font that has it ({@link ComicFonts}).
 */
@Component
class StripRenderer {

	static final Color BACKGROUND = Color.WHITE;

	static final Color INK = new Color(0x1A, 0x1A, 0x1A);

	static final Color CAPTION_FILL = new Color(0xFF, 0xF3, 0xC4);

	static final Color BALLOON_FILL = Color.WHITE;

	static final int MARGIN = 24;

	static final int GUTTER = 16;

	static final int TITLE_BAND = 76;

	private final ComicFonts fonts;

	StripRenderer(ComicFonts fonts) {
		this.fonts = fonts;
	}

	/** The scripts no font covers; text in them would be drawn as boxes. */
	List<String> missingScripts() {
		return fonts.missingScripts();
	}

	/** A panel to draw: its image and its text (either may be empty). */
	record PanelArt(BufferedImage image, String dialogue, String caption) {
	}

	/**
	 * Where everything went, for tests and for anyone who wants to cut the strip up
	 * again.
	 *
	 * @param captions each panel's caption box, {@code null} where it has none
	 * @param balloons each panel's speech balloon, {@code null} where it has none
	 */
	record Geometry(Rectangle title, List<Rectangle> panels, List<Rectangle> captions, List<Rectangle> balloons) {
	}

	record Strip(BufferedImage image, Geometry geometry) {

		byte[] png() {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			try {
				ImageIO.write(image, "png", out);
			}
			catch (IOException impossible) {
				throw new UncheckedIOException(impossible);
			}
			return out.toByteArray();
		}

	}

	Strip render(String title, Layout layout, List<PanelArt> panels, int panelWidth) {
		if (panels.size() != 4) {
			throw new IllegalArgumentException("a strip has four panels, not " + panels.size());
		}
		BufferedImage first = panels.getFirst().image();
		double aspect = Math.max(0.5, Math.min(2.0, (double) first.getHeight() / first.getWidth()));
		int cellW = panelWidth;
		int cellH = (int) Math.round(cellW * aspect);
		int columns = layout == Layout.GRID ? 2 : 1;
		int rows = 4 / columns;
		int width = 2 * MARGIN + columns * cellW + (columns - 1) * GUTTER;
		int height = MARGIN + TITLE_BAND + rows * cellH + (rows - 1) * GUTTER + MARGIN;

		BufferedImage strip = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = strip.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
			g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
			g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
			g.setColor(BACKGROUND);
			g.fillRect(0, 0, width, height);

			Rectangle titleBox = new Rectangle(MARGIN, MARGIN, width - 2 * MARGIN, TITLE_BAND - 12);
			drawTitle(g, title == null ? "" : title, titleBox);

			float textSize = Math.max(12f, cellW / 20f);
			List<Rectangle> cells = new ArrayList<>(4);
			List<Rectangle> captions = new ArrayList<>(4);
			List<Rectangle> balloons = new ArrayList<>(4);
			for (int i = 0; i < 4; i++) {
				int column = i % columns;
				int row = i / columns;
				Rectangle cell = new Rectangle(MARGIN + column * (cellW + GUTTER),
						MARGIN + TITLE_BAND + row * (cellH + GUTTER), cellW, cellH);
				cells.add(cell);
				PanelArt panel = panels.get(i);
				drawCover(g, panel.image(), cell);
				Rectangle caption = drawCaption(g, panel.caption(), cell, textSize);
				Rectangle balloon = drawBalloon(g, panel.dialogue(), cell, textSize,
						caption == null ? cell.y : caption.y + caption.height);
				captions.add(caption);
				balloons.add(balloon);
				g.setColor(INK);
				g.setStroke(new BasicStroke(3f));
				g.drawRect(cell.x, cell.y, cell.width, cell.height);
			}
			return new Strip(strip, new Geometry(titleBox, cells, captions, balloons));
		}
		finally {
			g.dispose();
		}
	}

	/** Scales the image to cover the cell, cropping what sticks out, centred. */
	private static void drawCover(Graphics2D g, BufferedImage image, Rectangle cell) {
		double scale = Math.max((double) cell.width / image.getWidth(), (double) cell.height / image.getHeight());
		int w = (int) Math.ceil(image.getWidth() * scale);
		int h = (int) Math.ceil(image.getHeight() * scale);
		Graphics2D clipped = (Graphics2D) g.create();
		try {
			clipped.clip(cell);
			clipped.drawImage(image, cell.x + (cell.width - w) / 2, cell.y + (cell.height - h) / 2, w, h, null);
		}
		finally {
			clipped.dispose();
		}
	}

	private void drawTitle(Graphics2D g, String title, Rectangle box) {
		if (title.isBlank()) {
			return;
		}
		FontRenderContext frc = g.getFontRenderContext();
		float size = 34f;
		TextLayout layout = new TextLayout(fonts.attributed(title, size, Font.BOLD).getIterator(), frc);
		while (layout.getAdvance() > box.width && size > 14f) {
			size -= 2f;
			layout = new TextLayout(fonts.attributed(title, size, Font.BOLD).getIterator(), frc);
		}
		if (layout.getAdvance() > box.width) {
			// still too long at the smallest size: the first line that fits, with an
			// ellipsis
			layout = lines(g, title + "", size, Font.BOLD, box.width - 20).getFirst();
		}
		g.setColor(INK);
		float x = box.x + (box.width - layout.getAdvance()) / 2f;
		float y = box.y + (box.height + layout.getAscent() - layout.getDescent()) / 2f;
		layout.draw(g, x, y);
	}

	private Rectangle drawCaption(Graphics2D g, String caption, Rectangle cell, float size) {
		if (caption == null || caption.isBlank()) {
			return null;
		}
		int pad = Math.round(size / 2);
		int maxWidth = cell.width - 2 * pad - 2 * pad;
		List<TextLayout> lines = fit(lines(g, caption.strip(), size, Font.PLAIN, maxWidth), cell.height / 3 - 2 * pad);
		int textWidth = (int) Math.ceil(lines.stream().mapToDouble(TextLayout::getAdvance).max().orElse(0));
		int textHeight = height(lines);
		Rectangle box = new Rectangle(cell.x + pad, cell.y + pad, textWidth + 2 * pad, textHeight + 2 * pad);
		g.setColor(CAPTION_FILL);
		g.fill(box);
		g.setColor(INK);
		g.setStroke(new BasicStroke(2f));
		g.draw(box);
		drawLines(g, lines, box.x + pad, box.y + pad);
		return box;
	}

	private Rectangle drawBalloon(Graphics2D g, String dialogue, Rectangle cell, float size, int topLimit) {
		if (dialogue == null || dialogue.isBlank()) {
			return null;
		}
		int pad = Math.round(size * 0.8f);
		int maxWidth = (int) (cell.width * 0.84) - 2 * pad;
		int tail = Math.round(size * 1.2f);
		int available = cell.y + cell.height - topLimit - tail - 2 * pad - 16;
		List<TextLayout> lines = fit(lines(g, dialogue.strip(), size, Font.PLAIN, maxWidth),
				Math.max(available, Math.round(size * 1.5f)));
		int textWidth = (int) Math.ceil(lines.stream().mapToDouble(TextLayout::getAdvance).max().orElse(0));
		int textHeight = height(lines);
		int w = textWidth + 2 * pad;
		int h = textHeight + 2 * pad;
		int x = cell.x + (cell.width - w) / 2;
		int y = cell.y + cell.height - h - Math.round(size * 0.6f);
		RoundRectangle2D.Float shape = new RoundRectangle2D.Float(x, y, w, h, Math.min(h, 48), Math.min(h, 48));
		// the tail points up and to the left, towards whoever speaks
		int tailX = x + Math.max(pad, w / 4);
		Polygon pointer = new Polygon(new int[] { tailX, tailX + tail, tailX - tail / 2 },
				new int[] { y + 2, y + 2, y - tail }, 3);
		g.setColor(BALLOON_FILL);
		g.fill(shape);
		g.fill(pointer);
		g.setColor(INK);
		g.setStroke(new BasicStroke(2f));
		g.draw(shape);
		g.drawLine(tailX, y, tailX - tail / 2, y - tail);
		g.drawLine(tailX + tail, y, tailX - tail / 2, y - tail);
		g.setColor(BALLOON_FILL);
		g.fillRect(tailX + 1, y - 1, tail - 1, 4);
		drawLines(g, lines, x + pad, y + pad);
		return new Rectangle(x, y, w, h);
	}

	/**
	 * The text broken into lines no wider than {@code width}; each paragraph of the text
	 * starts a new line.
	 */
	private List<TextLayout> lines(Graphics2D g, String text, float size, int style, int width) {
		FontRenderContext frc = g.getFontRenderContext();
		List<TextLayout> lines = new ArrayList<>();
		for (String paragraph : text.split("\\R")) {
			if (paragraph.isBlank()) {
				continue;
			}
			AttributedCharacterIterator characters = fonts.attributed(paragraph.strip(), size, style).getIterator();
			LineBreakMeasurer measurer = new LineBreakMeasurer(characters, frc);
			while (measurer.getPosition() < characters.getEndIndex()) {
				lines.add(measurer.nextLayout(Math.max(width, 20)));
			}
		}
		return lines;
	}

	/** As many lines as fit the height (at least one). */
	private static List<TextLayout> fit(List<TextLayout> lines, int maxHeight) {
		List<TextLayout> kept = new ArrayList<>();
		float used = 0;
		for (TextLayout line : lines) {
			float h = line.getAscent() + line.getDescent() + line.getLeading();
			if (!kept.isEmpty() && used + h > maxHeight) {
				break;
			}
			kept.add(line);
			used += h;
		}
		return kept;
	}

	private static int height(List<TextLayout> lines) {
		float total = 0;
		for (int i = 0; i < lines.size(); i++) {
			TextLayout line = lines.get(i);
			total += line.getAscent() + line.getDescent() + (i < lines.size() - 1 ? line.getLeading() : 0);
		}
		return (int) Math.ceil(total);
	}

	private static void drawLines(Graphics2D g, List<TextLayout> lines, int x, int y) {
		g.setColor(INK);
		float at = y;
		for (TextLayout line : lines) {
			at += line.getAscent();
			line.draw(g, x, at);
			at += line.getDescent() + line.getLeading();
		}
	}

}
