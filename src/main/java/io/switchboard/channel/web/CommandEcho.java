package io.switchboard.channel.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.switchboard.image.ImageAction;

/**
 * How the page shows a command it sent: a button press reads as what it does ("Upscale 1
 * of image #2"), anything typed reads as typed.
 */
final class CommandEcho {

	private static final Pattern IMAGE_BUTTON = Pattern.compile("/image\\s+#?(\\d{1,18})\\s+(\\S{2})\\s*",
			Pattern.CASE_INSENSITIVE);

	/** A proposed fact's buttons (see {@code /memory}). */
	private static final Pattern SUGGESTION_BUTTON = Pattern
		.compile("/remember\\s+suggested\\s+\\S+\\s+(confirm|cancel)", Pattern.CASE_INSENSITIVE);

	private CommandEcho() {
	}

	static String of(String text) {
		Matcher suggestion = SUGGESTION_BUTTON.matcher(text.strip());
		if (suggestion.matches()) {
			return "confirm".equalsIgnoreCase(suggestion.group(1)) ? "Remember the proposed fact"
					: "Don't remember the proposed fact";
		}
		Matcher button = IMAGE_BUTTON.matcher(text.strip());
		if (button.matches()) {
			long job = Long.parseLong(button.group(1));
			return ImageAction.parse(button.group(2)).map(action -> action.pressed(job)).orElse(text.strip());
		}
		return text.strip();
	}

	static boolean isCommand(String text) {
		return text.stripLeading().startsWith("/");
	}

}
