package io.switchboard.tool;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.switchboard.assistant.AssistantTool;
import io.switchboard.assistant.ToolArguments;
import io.switchboard.assistant.ToolContext;
import io.switchboard.assistant.ToolOutcome;
import io.switchboard.assistant.ToolProperties;
import io.switchboard.assistant.ToolSource;
import io.switchboard.llm.ToolSpec;

import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * {@code fetch_page}: a web page as plain text for the model, fetched by {@link WebFetch}
 * so that nothing on the server's own network can be reached through it.
 */
@Component
class FetchPageTool implements AssistantTool, ToolSource {

	static final String NAME = "fetch_page";

	private static final ToolSpec SPEC = new ToolSpec(NAME,
			"Fetch a public web page (http or https) and return its text. Use it when the user gives a link "
					+ "or asks about a page's current content.",
			"""
					{"type":"object","properties":{"url":{"type":"string","description":"the page's full URL"}},
					"required":["url"]}""");

	private static final Pattern HIDDEN = Pattern
		.compile("(?is)<(script|style|noscript|template|svg|title)\\b.*?</\\1\\s*>");

	private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?-->");

	private static final Pattern BLOCK = Pattern
		.compile("(?i)</?(p|div|br|li|ul|ol|tr|table|h[1-6]|section|article|header|footer|pre|blockquote)\\b[^>]*>");

	private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");

	private static final Pattern TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");

	private final ToolProperties properties;

	private final WebFetch fetch;

	FetchPageTool(ToolProperties properties) {
		this.properties = properties;
		this.fetch = new WebFetch(properties.fetch());
	}

	@Override
	public List<AssistantTool> tools(ToolContext context) {
		return unlessDisabled(properties);
	}

	@Override
	public ToolSpec spec() {
		return SPEC;
	}

	@Override
	public ToolOutcome run(String arguments, ToolContext context) {
		String url = ToolArguments.read(arguments).required("url", "Give the page's URL as \"url\".");
		WebFetch.Page page = fetch.fetch(url);
		String title = null;
		String text = page.body();
		if (page.contentType().contains("html")) {
			Matcher found = TITLE.matcher(text);
			title = found.find() ? HtmlUtils.htmlUnescape(found.group(1)).strip() : null;
			text = toText(text);
		}
		String result = (title == null || title.isEmpty() ? "" : "Title: " + title + "\n") + "URL: " + page.url()
				+ "\n\n" + text + (page.cut() ? "\n[the page is longer: only its beginning was read]" : "");
		String summary = (title == null || title.isEmpty() ? page.url().toString() : title) + " (" + text.length()
				+ " characters)";
		return new ToolOutcome(result, summary, null);
	}

	static String toText(String html) {
		String text = HIDDEN.matcher(html).replaceAll(" ");
		text = COMMENT.matcher(text).replaceAll(" ");
		text = BLOCK.matcher(text).replaceAll("\n");
		text = TAG.matcher(text).replaceAll("");
		text = HtmlUtils.htmlUnescape(text);
		return text.replaceAll("[ \\t\\x0B\\f\\r]+", " ").replaceAll(" *\n[\n ]*", "\n").strip();
	}

}
