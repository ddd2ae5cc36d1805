package io.switchboard.channel.web;

import java.util.List;

/**
 * A message as the chat page shows it: a question, an answer, a command the page sent, a
 * command's reply (with its buttons, or the image job it follows), a topic line.
 *
 * @param html for answers and replies: sanitized HTML from their Markdown; {@code null}
 * for questions, whose text the template escapes
 * @param imageUrls signed links to the message's images
 * @param meta a small line under answers: model, tokens, cost
 * @param actions a reply's buttons
 * @param imageJob the image job a reply follows: the page draws it (progress, picture,
 * buttons) in place
 * @param messageId the stored message, which search hits link to; {@code null} for what
 * is not a stored message
 * @param audioUrls signed links to an answer's spoken pieces ({@code /user voice on}), a
 * player each
 */
record MessageView(String role, String text, String html, List<String> imageUrls, String meta, String time,
		List<WebNotices.Button> actions, Long imageJob, Long messageId, List<String> audioUrls) {

	MessageView {
		imageUrls = imageUrls == null ? List.of() : List.copyOf(imageUrls);
		actions = actions == null ? List.of() : List.copyOf(actions);
		audioUrls = audioUrls == null ? List.of() : List.copyOf(audioUrls);
	}

	MessageView(String role, String text, String html, List<String> imageUrls, String meta, String time) {
		this(role, text, html, imageUrls, meta, time, List.of(), null, null, List.of());
	}

}
