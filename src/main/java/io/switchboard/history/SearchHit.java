package io.switchboard.history;

import java.time.Instant;

import org.springframework.web.util.HtmlUtils;

import io.switchboard.conversation.SessionId;

/**
 * A message that matched a search.
 *
 * @param snippet a piece of the message's text around the matched words, each match
 * between {@link #START} and {@link #STOP}
 * @param platform where the session was started: web, line, discord, slack, api
 * @param role {@code user} or {@code assistant}
 */
public record SearchHit(long messageId, SessionId session, String sessionTitle, String platform, String role,
		String snippet, Instant at) {

	static final char START = '\u0002';

	static final char STOP = '\u0003';

	/** The snippet as HTML: escaped, the matches in {@code <mark>}. */
	public String snippetHtml() {
		return HtmlUtils.htmlEscape(snippet)
			.replace(String.valueOf(START), "<mark>")
			.replace(String.valueOf(STOP), "</mark>");
	}

	/** The snippet as chat Markdown, the matches in bold. */
	public String snippetMarkdown() {
		String flat = snippet.replace('\n', ' ').replace("*", "\\*").replace("`", "'");
		return flat.replace(String.valueOf(START), "**").replace(String.valueOf(STOP), "**");
	}

}
