package io.switchboard.comic;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.font.GlyphVector;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The composed strip: its size for each layout, the four panels where they belong, the
 * title, captions and balloons drawn, and Korean, Japanese and Chinese drawn as real
 * glyphs rather than the missing-glyph box.
 */
class StripRendererTest {

	static final Color[] COLOURS = { new Color(200, 30, 30), new Color(30, 160, 40), new Color(30, 60, 200),
			new Color(230, 200, 20) };

	static final ComicProperties PROPERTIES = new ComicProperties(null, null, Layout.VERTICAL, null, true, false, 512,
			2000, null, null, null, Duration.ofSeconds(2), null);

	final ComicFonts fonts = new ComicFonts(PROPERTIES);

	final StripRenderer renderer = new StripRenderer(fonts);

	static BufferedImage solid(Color colour, int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setColor(colour);
		g.fillRect(0, 0, width, height);
		g.dispose();
		return image;
	}

	List<StripRenderer.PanelArt> panels(String dialogue, String caption) {
		return Arrays.stream(COLOURS)
			.map(colour -> new StripRenderer.PanelArt(solid(colour, 300, 300), dialogue, caption))
			.toList();
	}

	@Test
	void aVerticalFourCutIsOneColumnOfFourPanelsUnderTheTitle() throws IOException {
		StripRenderer.Strip strip = renderer.render("A cat barista", Layout.VERTICAL, panels("", ""), 256);
		int m = StripRenderer.MARGIN;
		int gutter = StripRenderer.GUTTER;
		assertThat(strip.image().getWidth()).isEqualTo(2 * m + 256);
		assertThat(strip.image().getHeight()).isEqualTo(m + StripRenderer.TITLE_BAND + 4 * 256 + 3 * gutter + m);
		List<Rectangle> cells = strip.geometry().panels();
		for (int i = 0; i < 4; i++) {
			assertThat(cells.get(i))
				.isEqualTo(new Rectangle(m, m + StripRenderer.TITLE_BAND + i * (256 + gutter), 256, 256));
			assertThat(colourAt(strip.image(), cells.get(i).x + 128, cells.get(i).y + 128)).as("panel %d", i + 1)
				.isEqualTo(COLOURS[i].getRGB());
		}
		// the gutters between panels stay white, the panels have an ink border
		assertThat(colourAt(strip.image(), m + 128, cells.get(0).y + 256 + gutter / 2)).isEqualTo(Color.WHITE.getRGB());
		assertThat(dark(strip.image(), new Rectangle(cells.get(0).x, cells.get(0).y, 256, 2))).isGreaterThan(200);
		// the title is drawn in its band
		assertThat(dark(strip.image(), strip.geometry().title())).isGreaterThan(100);
		// no text, no boxes
		assertThat(strip.geometry().captions()).containsOnlyNulls();
		assertThat(strip.geometry().balloons()).containsOnlyNulls();
		// and it is a real PNG of that size
		BufferedImage png = ImageIO.read(new ByteArrayInputStream(strip.png()));
		assertThat(png.getWidth()).isEqualTo(strip.image().getWidth());
		assertThat(png.getHeight()).isEqualTo(strip.image().getHeight());
	}

	@Test
	void aGridIsTwoByTwo() {
		StripRenderer.Strip strip = renderer.render("Grid", Layout.GRID, panels("", ""), 200);
		int m = StripRenderer.MARGIN;
		int gutter = StripRenderer.GUTTER;
		assertThat(strip.image().getWidth()).isEqualTo(2 * m + 2 * 200 + gutter);
		assertThat(strip.image().getHeight()).isEqualTo(m + StripRenderer.TITLE_BAND + 2 * 200 + gutter + m);
		int top = m + StripRenderer.TITLE_BAND;
		Rectangle[] expected = { new Rectangle(m, top, 200, 200), new Rectangle(m + 200 + gutter, top, 200, 200),
				new Rectangle(m, top + 200 + gutter, 200, 200),
				new Rectangle(m + 200 + gutter, top + 200 + gutter, 200, 200) };
		for (int i = 0; i < 4; i++) {
			assertThat(strip.geometry().panels().get(i)).isEqualTo(expected[i]);
			assertThat(colourAt(strip.image(), expected[i].x + 100, expected[i].y + 100))
				.isEqualTo(COLOURS[i].getRGB());
		}
	}

	@Test
	void captionsAndBalloonsAreDrawnInsideTheirPanels() {
		StripRenderer.Strip strip = renderer.render("Talk", Layout.VERTICAL,
				panels("Hero: What a day, and it is not even noon!", "Monday morning"), 320);
		for (int i = 0; i < 4; i++) {
			Rectangle cell = strip.geometry().panels().get(i);
			Rectangle caption = strip.geometry().captions().get(i);
			Rectangle balloon = strip.geometry().balloons().get(i);
			assertThat(cell.contains(caption)).as("caption inside panel %d", i + 1).isTrue();
			assertThat(cell.contains(balloon)).as("balloon inside panel %d", i + 1).isTrue();
			assertThat(caption.y + caption.height).isLessThan(balloon.y);
			// the boxes are filled with their own colours, with ink for the letters
			assertThat(count(strip.image(), caption, StripRenderer.CAPTION_FILL.getRGB()))
				.isGreaterThan(caption.width * 4);
			assertThat(dark(strip.image(), inner(caption))).isGreaterThan(40);
			assertThat(count(strip.image(), balloon, Color.WHITE.getRGB())).isGreaterThan(balloon.width * 4);
			assertThat(dark(strip.image(), inner(balloon))).isGreaterThan(40);
			// the panel's own picture still shows beside them
			assertThat(colourAt(strip.image(), cell.x + cell.width - 6, cell.y + cell.height / 2))
				.isEqualTo(COLOURS[i].getRGB());
		}
	}

	@Test
	void longDialogueWrapsAndStaysInsideThePanel() {
		String line = "Hero: " + "so much to say ".repeat(40);
		StripRenderer.Strip strip = renderer.render("Wrap", Layout.VERTICAL, panels(line, ""), 256);
		Rectangle balloon = strip.geometry().balloons().getFirst();
		Rectangle cell = strip.geometry().panels().getFirst();
		assertThat(cell.contains(balloon)).isTrue();
		assertThat(balloon.height).isGreaterThan(40);
	}

	@Test
	void koreanJapaneseAndChineseAreDrawnAsGlyphsNotBoxes() throws IOException {
		requireCjkFont();
		String korean = "안녕하세요! 오늘은 월요일이다";
		String japanese = "こんにちは、漫画の時間です";
		String chinese = "你好，我们的漫画";
		assertThat(fonts.missingScripts()).isEmpty();
		for (String text : List.of(korean, japanese, chinese)) {
			assertThat(fonts.covers(text)).as(text).isTrue();
			for (int point : text.codePoints().filter(c -> !Character.isWhitespace(c)).toArray()) {
				Font font = fonts.fontFor(point, 24f, Font.PLAIN);
				assertThat(font.canDisplayUpTo(Character.toString(point)))
					.as("%s in %s", Character.toString(point), font)
					.isEqualTo(-1);
			}
		}
		// each character's pixels differ from the font's missing-glyph box and from each
		// other
		Font font = fonts.fontFor('한', 48f, Font.PLAIN);
		BufferedImage box = glyphs(font, null);
		BufferedImage han = glyphs(font, "한");
		BufferedImage kana = glyphs(fonts.fontFor('こ', 48f, Font.PLAIN), "こ");
		BufferedImage hanzi = glyphs(fonts.fontFor('们', 48f, Font.PLAIN), "们");
		assertThat(dark(box, full(box))).as("the missing glyph is drawn").isGreaterThan(20);
		for (BufferedImage glyph : List.of(han, kana, hanzi)) {
			assertThat(dark(glyph, full(glyph))).isGreaterThan(50);
			assertThat(same(glyph, box)).isFalse();
		}
		assertThat(same(han, kana)).isFalse();
		assertThat(same(kana, hanzi)).isFalse();

		// and in the strip: a Korean caption differs from the same caption made of
		// characters no font has (which come out as boxes)
		StripRenderer.Strip real = renderer.render("네컷", Layout.VERTICAL, panels("나비: 냥!", "안녕"), 256);
		StripRenderer.Strip boxes = renderer.render("네컷", Layout.VERTICAL, panels("나비: 냥!", "\uE000\uE001"), 256);
		Rectangle caption = real.geometry().captions().getFirst();
		assertThat(dark(real.image(), inner(caption))).isGreaterThan(10);
		assertThat(same(crop(real.image(), inner(caption)), crop(boxes.image(), inner(caption)))).isFalse();
		assertThat(dark(real.image(), real.geometry().title())).isGreaterThan(100);
		Files.createDirectories(Path.of("target/screenshots"));
		Files.write(Path.of("target/screenshots/strip-cjk.png"),
				renderer.render("고양이 바리스타 · 猫のバリスタ", Layout.GRID, panels("나비: 나도 커피를 만들 거야! 今日は頑張る。", "第一天 · 첫날"), 320)
					.png());
	}

	/**
	 * CJK tests need Noto Sans CJK (fonts-noto-cjk); CI installs it and makes them
	 * mandatory.
	 */
	static void requireCjkFont() {
		boolean present = ComicProperties.DEFAULT_FONTS.stream().anyMatch(Files::isRegularFile);
		if (!present) {
			String message = "SKIPPED: CJK strip tests, because no Noto Sans CJK font is installed "
					+ "(apt-get install fonts-noto-cjk)";
			if (Boolean.parseBoolean(System.getenv("SWITCHBOARD_REQUIRE_CJK_FONTS"))) {
				throw new IllegalStateException(message);
			}
			System.err.println(message);
			Assumptions.abort(message);
		}
	}

	static Path anyCjkFont() {
		return ComicProperties.DEFAULT_FONTS.stream().filter(Files::isRegularFile).findFirst().orElseThrow();
	}

	/** The text drawn alone, or the font's missing glyph when {@code text} is null. */
	static BufferedImage glyphs(Font font, String text) {
		BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, 64, 64);
		g.setColor(Color.BLACK);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
		GlyphVector vector = text == null
				? font.createGlyphVector(g.getFontRenderContext(), new int[] { font.getMissingGlyphCode() })
				: font.createGlyphVector(g.getFontRenderContext(), text);
		g.drawGlyphVector(vector, 6, 52);
		g.dispose();
		return image;
	}

	static int colourAt(BufferedImage image, int x, int y) {
		return image.getRGB(x, y) | 0xFF000000;
	}

	static int count(BufferedImage image, Rectangle area, int rgb) {
		int n = 0;
		for (int y = area.y; y < area.y + area.height; y++) {
			for (int x = area.x; x < area.x + area.width; x++) {
				if ((image.getRGB(x, y) | 0xFF000000) == (rgb | 0xFF000000)) {
					n++;
				}
			}
		}
		return n;
	}

	static int dark(BufferedImage image, Rectangle area) {
		int n = 0;
		for (int y = area.y; y < area.y + area.height; y++) {
			for (int x = area.x; x < area.x + area.width; x++) {
				Color c = new Color(image.getRGB(x, y));
				if (c.getRed() + c.getGreen() + c.getBlue() < 200) {
					n++;
				}
			}
		}
		return n;
	}

	static Rectangle inner(Rectangle box) {
		return new Rectangle(box.x + 4, box.y + 4, box.width - 8, box.height - 8);
	}

	static Rectangle full(BufferedImage image) {
		return new Rectangle(0, 0, image.getWidth(), image.getHeight());
	}

	static BufferedImage crop(BufferedImage image, Rectangle area) {
		return image.getSubimage(area.x, area.y, area.width, area.height);
	}

	static boolean same(BufferedImage a, BufferedImage b) {
		if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
			return false;
		}
		for (int y = 0; y < a.getHeight(); y++) {
			for (int x = 0; x < a.getWidth(); x++) {
				if (a.getRGB(x, y) != b.getRGB(x, y)) {
					return false;
				}
			}
		}
		return true;
	}

}
