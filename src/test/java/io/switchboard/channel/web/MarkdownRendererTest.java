package io.switchboard.channel.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Answers become formatted HTML, and nothing in them can run or track. */
class MarkdownRendererTest {

	private final MarkdownRenderer markdown = new MarkdownRenderer();

	@Test
	void formattingCodeBlocksAndTablesAreKept() {
		String html = markdown.render("""
				# Title

				Some **bold** and `code`.

				```java
				int x = 1 < 2 ? 1 : 0;
				```

				| a | b |
				|---|---|
				| 1 | 2 |
				""");
		assertThat(html).contains("<h1>Title</h1>")
			.contains("<strong>bold</strong>")
			.contains("<code>code</code>")
			.contains("<pre><code class=\"language-java\">int x &#61; 1 &lt; 2 ? 1 : 0;")
			.contains("<table>")
			.contains("<td>1</td>");
	}

	@Test
	void rawHtmlIsEscapedNotRendered() {
		String html = markdown.render("<script>alert(1)</script><b onclick=\"x()\">hi</b>");
		assertThat(html).doesNotContain("<script").doesNotContain("<b ").contains("&lt;script&gt;");
	}

	@Test
	void dangerousLinksAndImagesAreDropped() {
		String html = markdown
			.render("[click](javascript:alert(1)) [ok](https://example.com) ![pixel](https://tracker.example/p.gif)");
		assertThat(html).doesNotContain("javascript:")
			.doesNotContain("<img")
			.contains("href=\"https://example.com\"")
			.contains("rel=\"nofollow noopener noreferrer\"");
	}

	@Test
	void codeBlockClassesCannotCarryAnythingElse() {
		String html = markdown.render("```x\" onmouseover=\"alert(1)\ncode\n```");
		assertThat(html).doesNotContain("onmouseover");
	}

}
