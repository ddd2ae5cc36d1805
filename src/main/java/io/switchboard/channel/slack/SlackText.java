package io.switchboard.channel.slack;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text of a Slack message as a person wrote it: Slack escapes {@code &},
 * {@code <} and {@code >} and writes links, mentions and channel names in angle brackets.
 */
final class SlackText {

	private static final Pattern SPECIAL = Pattern.compile("<([^<>]+)>");

	private SlackText() {
	}

	/** The text with the bot's own mentions removed and Slack's markup read back. */
	static String plain(String text, String botUserId) {
		if (text == null) {
			return "";
		}
		String withoutBot = botUserId == null ? text : text.replace("<@" + botUserId + ">", " ");
		Matcher special = SPECIAL.matcher(withoutBot);
		StringBuilder out = new StringBuilder();
		while (special.find()) {
			String inside = special.group(1);
			int bar = inside.indexOf('|');
			String target = bar < 0 ? inside : inside.substring(0, bar);
			String label = bar < 0 ? null : inside.substring(bar + 1);
			String readable;
			if (target.startsWith("@")) {
				readable = "@" + (label != null ? label : target.substring(1));
			}
			else if (target.startsWith("#")) {
				readable = "#" + (label != null ? label : target.substring(1));
			}
			else if (target.startsWith("!")) {
				readable = "@" + (label != null ? label : target.substring(1).replaceFirst("^subteam\\^", ""));
			}
			else {
				readable = label == null || label.equals(target) ? target : label + " (" + target + ")";
			}
			special.appendReplacement(out, Matcher.quoteReplacement(readable));
		}
		special.appendTail(out);
		return unescape(out.toString()).strip();
	}

	static boolean mentions(String text, String botUserId) {
		return text != null && botUserId != null && text.contains("<@" + botUserId + ">");
	}

	private static String unescape(String text) {
		return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
	}

}
