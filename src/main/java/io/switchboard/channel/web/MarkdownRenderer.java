package io.switchboard.channel.web;

import java.util.List;
import java.util.regex.Pattern;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

import org.springframework.stereotype.Component;

/**
 * Turns a model's Markdown into HTML that is safe to put in a page. Two layers:
 * commonmark escapes any raw HTML in the text, and an allow-list sanitizer then drops
 * anything that is not plain formatting (no scripts, no event handlers, no images that
 * could track, no {@code javascript:} links).
 */
@Component
class MarkdownRenderer {

	private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());

	private static final Pattern CODE_CLASS = Pattern.compile("language-[A-Za-z0-9_+#.-]{1,40}");

	private final Parser parser = Parser.builder().extensions(EXTENSIONS).build();

	private final HtmlRenderer renderer = HtmlRenderer.builder()
		.extensions(EXTENSIONS)
		.escapeHtml(true)
		.sanitizeUrls(true)
		.softbreak("<br>")
		.build();

	private final PolicyFactory policy = new HtmlPolicyBuilder()
		.allowElements("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
				"code", "em", "strong", "del", "table", "thead", "tbody", "tr", "th", "td", "a")
		.allowAttributes("class")
		.matching(CODE_CLASS)
		.onElements("code")
		.allowAttributes("align")
		.matching(false, "left", "right", "center")
		.onElements("th", "td")
		.allowAttributes("start")
		.matching(Pattern.compile("[0-9]{1,6}"))
		.onElements("ol")
		.allowAttributes("href")
		.onElements("a")
		.allowUrlProtocols("https", "http", "mailto")
		.requireRelsOnLinks("nofollow", "noopener", "noreferrer")
		.toFactory();

	/** Safe HTML for a Markdown text. */
	String render(String markdown) {
		if (markdown == null || markdown.isEmpty()) {
			return "";
		}
		return policy.sanitize(renderer.render(parser.parse(markdown)));
	}

}
