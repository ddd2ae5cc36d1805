package io.switchboard.channel.discord;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into Discord messages of at most {@link #LIMIT} characters without breaking
 * a code block: a block that would straddle two messages moves whole into the next one,
 * and a block too long for any message is closed at a line break and reopened, with its
 * language, in the next. A block still open at the end (an answer being streamed) is
 * closed too, so every message renders on its own.
 *
 * <p>
 * Where each cut falls depends only on the text before it, so while an answer streams the
 * earlier messages do not change as more arrives.
 */
final class MessageSplitter {

	/** Discord's longest message content. */
	static final int LIMIT = 2000;

	private static final String FENCE = "```";

	private static final String CLOSE = "\n" + FENCE;

	private MessageSplitter() {
	}

	static List<String> split(String text) {
		return split(text, LIMIT);
	}

	static List<String> split(String text, int limit) {
		if (limit < 100) {
			throw new IllegalArgumentException("limit too small: " + limit);
		}
		List<String> chunks = new ArrayList<>();
		String rest = text == null ? "" : text;
		while (closed(rest).length() > limit) {
			int cut = cut(rest, limit - CLOSE.length());
			String opener = openFenceAt(rest, cut);
			if (opener != null) {
				int blockStart = openFenceStart(rest, cut);
				if (blockStart > 0 && !rest.substring(0, blockStart).isBlank()) {
					// the block starts in this message: send the text before it, and the
					// block from its start in the next (split there again if it is long)
					chunks.add(stripEnd(rest.substring(0, blockStart)));
					rest = rest.substring(blockStart);
					continue;
				}
			}
			String head = rest.substring(0, cut);
			String tail = rest.substring(skipSeparator(rest, cut));
			if (opener != null) {
				chunks.add(stripEnd(head) + CLOSE);
				rest = opener + "\n" + tail;
			}
			else {
				chunks.add(stripEnd(head));
				rest = stripLeadingNewlines(tail);
			}
		}
		if (!rest.isBlank() || chunks.isEmpty()) {
			chunks.add(closed(rest));
		}
		return chunks;
	}

	/** The text with a code block still open at its end closed. */
	static String closed(String text) {
		return openFenceAt(text, text.length()) == null ? text : stripEnd(text) + CLOSE;
	}

	/**
	 * Where to cut so that the head is at most {@code budget} characters: after the last
	 * line break, else the last space, else exactly at the budget (never between the two
	 * halves of a surrogate pair).
	 */
	private static int cut(String text, int budget) {
		int newline = text.lastIndexOf('\n', budget);
		if (newline > budget / 4) {
			return newline;
		}
		int space = text.lastIndexOf(' ', budget);
		if (space > budget / 4) {
			return space;
		}
		return Character.isLowSurrogate(text.charAt(budget)) ? budget - 1 : budget;
	}

	/** Where the next message's text starts after a cut: past a line break or space. */
	private static int skipSeparator(String text, int cut) {
		return cut < text.length() && (text.charAt(cut) == '\n' || text.charAt(cut) == ' ') ? cut + 1 : cut;
	}

	/**
	 * The opening line (e.g. {@code ```java}) of the code block that is open at
	 * {@code position}, or {@code null} outside code.
	 */
	static String openFenceAt(String text, int position) {
		int start = openFenceStart(text, position);
		if (start < 0) {
			return null;
		}
		int end = text.indexOf('\n', start);
		String line = (end < 0 ? text.substring(start) : text.substring(start, end)).strip();
		// the language tag is all that must survive a reopening; a long line is not one
		return line.length() <= 24 ? line : FENCE;
	}

	/** Where the line opening the code block open at {@code position} starts, or -1. */
	private static int openFenceStart(String text, int position) {
		int open = -1;
		int lineStart = 0;
		while (lineStart < position && lineStart <= text.length()) {
			int lineEnd = text.indexOf('\n', lineStart);
			if (lineEnd < 0) {
				lineEnd = text.length();
			}
			String line = text.substring(lineStart, lineEnd).stripLeading();
			if (line.startsWith(FENCE)) {
				if (open >= 0) {
					open = -1;
				}
				else if (line.indexOf(FENCE, FENCE.length()) < 0) {
					// a line like ```code``` opens and closes a block at once
					open = lineStart;
				}
			}
			lineStart = lineEnd + 1;
		}
		return open;
	}

	private static String stripEnd(String text) {
		int end = text.length();
		while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(0, end);
	}

	private static String stripLeadingNewlines(String text) {
		int start = 0;
		while (start < text.length() && (text.charAt(start) == '\n' || text.charAt(start) == '\r')) {
			start++;
		}
		return text.substring(start);
	}

}
