package io.switchboard.channel.slack;

import java.util.ArrayList;
import java.util.List;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * Turns the Markdown models write into Slack's mrkdwn: {@code **bold**} becomes
 * {@code *bold*}, {@code *italic*} {@code _italic_}, links {@code <url|text>}, headings
 * bold lines, lists bullets, tables code blocks; {@code &}, {@code <} and {@code >} are
 * escaped as Slack requires. The Markdown is parsed (commonmark), so half-written text
 * during streaming converts too.
 */
final class SlackMarkdown {

	private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());

	private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();

	private static final String FENCE = "```";

	private SlackMarkdown() {
	}

	/** Slack mrkdwn for a Markdown text. */
	static String toMrkdwn(String markdown) {
		if (markdown == null || markdown.isBlank()) {
			return "";
		}
		StringBuilder out = new StringBuilder();
		blocks(PARSER.parse(markdown), out, "");
		return out.toString().strip();
	}

	/** Escapes text for Slack without any other formatting. */
	static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	/**
	 * Splits mrkdwn into messages of at most {@code max} characters, at line ends where
	 * it can, closing a code block at a cut and opening it again in the next part.
	 */
	static List<String> split(String mrkdwn, int max) {
		List<String> parts = new ArrayList<>();
		String rest = mrkdwn;
		boolean openFence = false;
		while (!rest.isEmpty()) {
			String prefix = openFence ? FENCE + "\n" : "";
			int room = max - prefix.length() - (FENCE.length() + 1);
			if (prefix.length() + rest.length() <= max) {
				parts.add(prefix + rest);
				break;
			}
			int cut = rest.lastIndexOf('\n', room);
			if (cut < room / 2) {
				cut = room;
			}
			String part = rest.substring(0, cut);
			rest = rest.substring(cut).stripLeading();
			boolean open = openFence ^ (count(part, FENCE) % 2 == 1);
			parts.add(prefix + part + (open ? "\n" + FENCE : ""));
			openFence = open;
		}
		return parts;
	}

	private static int count(String text, String token) {
		int count = 0;
		for (int at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + token.length())) {
			count++;
		}
		return count;
	}

	private static void blocks(Node parent, StringBuilder out, String indent) {
		// blocks are separated by a blank line, except the parts of one list item
		boolean tight = parent instanceof ListItem;
		for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
			if (node.getPrevious() != null) {
				while (!out.isEmpty() && out.charAt(out.length() - 1) == '\n') {
					out.setLength(out.length() - 1);
				}
				out.append(tight ? "\n" : "\n\n");
			}
			block(node, out, indent);
		}
	}

	private static void block(Node node, StringBuilder out, String indent) {
		switch (node) {
			case Paragraph paragraph -> {
				out.append(indent);
				inlines(paragraph, out, false);
			}
			case Heading heading -> {
				out.append(indent).append('*');
				inlines(heading, out, true);
				out.append('*');
			}
			case FencedCodeBlock code -> out.append(FENCE).append('\n').append(escape(code.getLiteral())).append(FENCE);
			case IndentedCodeBlock code ->
				out.append(FENCE).append('\n').append(escape(code.getLiteral())).append(FENCE);
			case BlockQuote quote -> {
				StringBuilder inner = new StringBuilder();
				blocks(quote, inner, "");
				for (String line : inner.toString().strip().split("\n", -1)) {
					out.append(indent).append("> ").append(line).append('\n');
				}
			}
			case BulletList list -> listItems(list, out, indent, null);
			case OrderedList list ->
				listItems(list, out, indent, list.getMarkerStartNumber() == null ? 1 : list.getMarkerStartNumber());
			case ThematicBreak rule -> out.append(indent).append("──────────");
			case HtmlBlock html -> out.append(indent).append(escape(html.getLiteral().strip()));
			case TableBlock table -> table(table, out);
			default -> {
				// an unknown block: keep its text
				inlines(node, out, false);
			}
		}
	}

	private static void listItems(Node list, StringBuilder out, String indent, Integer start) {
		int number = start == null ? 0 : start;
		for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
			String marker = start == null ? (indent.isEmpty() ? "• " : "◦ ") : (number++) + ". ";
			StringBuilder inner = new StringBuilder();
			blocks(item, inner, "");
			String[] lines = inner.toString().strip().split("\n", -1);
			for (int i = 0; i < lines.length; i++) {
				out.append(indent).append(i == 0 ? marker : "   ").append(lines[i]).append('\n');
			}
		}
	}

	private static void table(TableBlock table, StringBuilder out) {
		List<List<String>> rows = new ArrayList<>();
		collectRows(table, rows);
		int columns = rows.stream().mapToInt(List::size).max().orElse(0);
		int[] widths = new int[columns];
		for (List<String> row : rows) {
			for (int i = 0; i < row.size(); i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		out.append(FENCE).append('\n');
		for (int r = 0; r < rows.size(); r++) {
			List<String> row = rows.get(r);
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < columns; i++) {
				String cell = i < row.size() ? row.get(i) : "";
				line.append(i == 0 ? "" : " | ").append(cell).append(" ".repeat(widths[i] - cell.length()));
			}
			out.append(escape(line.toString().stripTrailing())).append('\n');
			if (r == 0 && rows.size() > 1) {
				StringBuilder rule = new StringBuilder();
				for (int i = 0; i < columns; i++) {
					rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
				}
				out.append(rule).append('\n');
			}
		}
		out.append(FENCE);
	}

	private static void collectRows(Node node, List<List<String>> rows) {
		for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
			if (child instanceof TableRow) {
				List<String> cells = new ArrayList<>();
				for (Node cell = child.getFirstChild(); cell != null; cell = cell.getNext()) {
					if (cell instanceof TableCell) {
						cells.add(plain(cell));
					}
				}
				rows.add(cells);
			}
			else {
				collectRows(child, rows);
			}
		}
	}

	/** The text of a node without any formatting. */
	private static String plain(Node node) {
		StringBuilder text = new StringBuilder();
		for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
			switch (child) {
				case Text value -> text.append(value.getLiteral());
				case Code code -> text.append(code.getLiteral());
				case SoftLineBreak br -> text.append(' ');
				case HardLineBreak br -> text.append(' ');
				default -> text.append(plain(child));
			}
		}
		return text.toString();
	}

	private static void inlines(Node parent, StringBuilder out, boolean inBold) {
		for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
			switch (node) {
				case Text text -> out.append(escape(strike(text.getLiteral())));
				case Code code -> out.append('`').append(escape(code.getLiteral())).append('`');
				case Emphasis emphasis -> {
					out.append('_');
					inlines(emphasis, out, inBold);
					out.append('_');
				}
				case StrongEmphasis strong -> {
					if (!inBold) {
						out.append('*');
					}
					inlines(strong, out, true);
					if (!inBold) {
						out.append('*');
					}
				}
				case Link link -> link(link.getDestination(), plain(link), out);
				case Image image -> link(image.getDestination(), plain(image), out);
				case SoftLineBreak br -> out.append('\n');
				case HardLineBreak br -> out.append('\n');
				case HtmlInline html -> out.append(escape(html.getLiteral()));
				default -> inlines(node, out, inBold);
			}
		}
	}

	private static void link(String destination, String label, StringBuilder out) {
		String url = destination == null ? "" : destination.strip();
		boolean web = url.startsWith("https://") || url.startsWith("http://") || url.startsWith("mailto:");
		if (!web) {
			// Slack links only web addresses; anything else stays plain text
			out.append(escape(label.isBlank() ? url : label));
			return;
		}
		String safeUrl = url.replace("|", "%7C").replace("<", "%3C").replace(">", "%3E").replace("&", "&amp;");
		if (label.isBlank() || label.equals(url)) {
			out.append('<').append(safeUrl).append('>');
		}
		else {
			out.append('<').append(safeUrl).append('|').append(escape(label).replace("|", "¦")).append('>');
		}
	}

	/**
	 * GitHub's {@code ~~strike~~} (not parsed without its extension) as Slack's
	 * {@code ~strike~}.
	 */
	private static String strike(String text) {
		return text.replaceAll("~~(\\S(?:.*?\\S)?)~~", "~$1~");
	}

}
