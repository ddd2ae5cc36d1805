package io.switchboard.channel.web;

import java.util.List;

/**
 * A message as the chat page shows it.
 *
 * @param html for answers: sanitized HTML from their Markdown; {@code null} for
 * questions, whose text the template escapes
 * @param imageUrls signed links to the message's images
 * @param meta a small line under answers: model, tokens, cost
 */
record MessageView(String role, String text, String html, List<String> imageUrls, String meta, String time) {
}
