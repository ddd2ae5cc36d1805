package io.switchboard.comic;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.font.TextAttribute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.AttributedString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.stereotype.Component;

/**
 * The fonts the strip's text is drawn with. Java's own fonts have no Korean, Japanese or
 * Chinese glyphs on a bare server, and text in those scripts would come out as boxes, so
 * the configured font files (by default Noto Sans CJK where Linux distributions install
 * it: Debian's {@code fonts-noto-cjk}) are loaded at start-up and tried character by
 * character before Java's logical {@code SansSerif}. At start-up it says which scripts
 * are covered; with {@code switchboard.comic.require-cjk-fonts=true} a missing script
 * stops the server.
 */
@Component
class ComicFonts {

	private static final Logger log = LoggerFactory.getLogger(ComicFonts.class);

	/**
	 * A few characters of each script a comic may be written in, to test coverage with.
	 */
	static final Map<String, String> SAMPLES = samples();

	private final List<Font> chain;

	private final List<String> loaded;

	private final List<String> missing;

	ComicFonts(ComicProperties properties) {
		List<Font> fonts = new ArrayList<>();
		List<String> names = new ArrayList<>();
		for (Path file : properties.fonts()) {
			if (!Files.isRegularFile(file)) {
				continue;
			}
			try {
				// a .ttc collection holds several faces with the same glyphs (JP, KR, SC,
				// ...); the first one will do for coverage
				Font face = Font.createFonts(file.toFile())[0];
				fonts.add(face);
				names.add(face.getFontName() + " (" + file + ")");
			}
			catch (IOException | FontFormatException unreadable) {
				log.warn("Comic fonts: cannot read {} ({}); skipped", file, unreadable.getMessage());
			}
		}
		// Java's logical font last: on a desktop it may reach CJK fonts through the OS
		if (properties.systemFonts() || fonts.isEmpty()) {
			fonts.add(new Font(Font.SANS_SERIF, Font.PLAIN, 1));
		}
		this.chain = List.copyOf(fonts);
		this.loaded = List.copyOf(names);
		List<String> uncovered = new ArrayList<>();
		SAMPLES.forEach((script, sample) -> {
			if (!covers(sample)) {
				uncovered.add(script);
			}
		});
		if (!properties.systemFonts() && names.isEmpty()) {
			// only the stand-in added above, which is not to be counted on
			uncovered.clear();
			uncovered.addAll(SAMPLES.keySet());
		}
		this.missing = List.copyOf(uncovered);
		if (missing.isEmpty()) {
			log.info("Comic fonts: {} cover {}", loaded.isEmpty() ? "Java's own fonts" : loaded, SAMPLES.keySet());
		}
		else {
			String message = "No font for " + String.join(", ", missing)
					+ " text in comic strips, which would be drawn as boxes. Install Noto Sans CJK "
					+ "(Debian/Ubuntu: apt-get install fonts-noto-cjk) or point switchboard.comic.fonts at a font file "
					+ "that has them. Tried: " + properties.fonts();
			if (properties.requireCjkFonts()) {
				throw new InvalidConfigurationPropertyValueException("switchboard.comic.fonts", properties.fonts(),
						message + " (switchboard.comic.require-cjk-fonts is true)");
			}
			log.warn("Comic fonts: {}", message);
		}
	}

	/** The scripts no font covers, e.g. {@code [Korean]}; empty when all are there. */
	List<String> missingScripts() {
		return missing;
	}

	/** The font files loaded, for the start-up log and the studio. */
	List<String> loaded() {
		return loaded;
	}

	/** Whether some font can draw every character of the text. */
	boolean covers(String text) {
		return text.codePoints().allMatch(point -> Character.isWhitespace(point) || fontIndexFor(point) >= 0);
	}

	/**
	 * The first font of the chain that has the character, at the given size and style.
	 */
	Font fontFor(int codePoint, float size, int style) {
		int index = fontIndexFor(codePoint);
		return chain.get(Math.max(index, 0)).deriveFont(style, size);
	}

	/** The primary font (the first configured one that loaded, else SansSerif). */
	Font primary(float size, int style) {
		return chain.getFirst().deriveFont(style, size);
	}

	/**
	 * The text with a font on every run of characters, each from the first font that has
	 * them, so a line may mix Latin, Hangul and kanji.
	 */
	AttributedString attributed(String text, float size, int style) {
		AttributedString attributed = new AttributedString(text);
		if (text.isEmpty()) {
			return attributed;
		}
		int runStart = 0;
		int runFont = -2;
		int offset = 0;
		while (offset < text.length()) {
			int point = text.codePointAt(offset);
			int font = Character.isWhitespace(point) && runFont != -2 ? runFont : Math.max(fontIndexFor(point), 0);
			if (font != runFont) {
				if (runFont != -2) {
					attributed.addAttribute(TextAttribute.FONT, chain.get(runFont).deriveFont(style, size), runStart,
							offset);
				}
				runFont = font;
				runStart = offset;
			}
			offset += Character.charCount(point);
		}
		attributed.addAttribute(TextAttribute.FONT, chain.get(runFont).deriveFont(style, size), runStart, offset);
		return attributed;
	}

	private int fontIndexFor(int codePoint) {
		for (int i = 0; i < chain.size(); i++) {
			if (chain.get(i).canDisplay(codePoint)) {
				return i;
			}
		}
		return -1;
	}

	private static Map<String, String> samples() {
		Map<String, String> samples = new LinkedHashMap<>();
		samples.put("Korean", "한글 만화");
		samples.put("Japanese", "ひらがな カタカナ 漫画");
		samples.put("Chinese", "汉字 漫画 们这");
		return samples;
	}

}
