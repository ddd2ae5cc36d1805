package io.switchboard.channel.slack;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Markdown as models write it, turned into Slack's mrkdwn. */
class SlackMarkdownTest {

	@Test
	void emphasisBecomesSlacksOwn() {
		assertThat(SlackMarkdown.toMrkdwn("**bold**, *italic*, _also_ and ~~gone~~"))
			.isEqualTo("*bold*, _italic_, _also_ and ~gone~");
	}

	@Test
	void headingsBecomeBoldLinesAndBoldInsideIsNotDoubled() {
		assertThat(SlackMarkdown.toMrkdwn("# Title with **bold**\n\nText")).isEqualTo("*Title with bold*\n\nText");
	}

	@Test
	void linksBecomeSlackLinksAndOnlyWebLinks() {
		assertThat(SlackMarkdown.toMrkdwn("See [the docs](https://example.com/a?b=1&c=2) or https://x.io"))
			.isEqualTo("See <https://example.com/a?b=1&amp;c=2|the docs> or https://x.io");
		assertThat(SlackMarkdown.toMrkdwn("[click](javascript:alert(1))")).isEqualTo("click");
	}

	@Test
	void specialCharactersAreEscapedEverywhereSoNothingBecomesAMention() {
		assertThat(SlackMarkdown.toMrkdwn("a < b & c > d <!channel>"))
			.isEqualTo("a &lt; b &amp; c &gt; d &lt;!channel&gt;");
		assertThat(SlackMarkdown.toMrkdwn("`x<y>` and\n\n```java\nif (a < b && c) {}\n```"))
			.isEqualTo("`x&lt;y&gt;` and\n\n```\nif (a &lt; b &amp;&amp; c) {}\n```");
	}

	@Test
	void listsAndQuotes() {
		assertThat(SlackMarkdown.toMrkdwn("- one\n- two\n\n1. first\n2. second\n\n> quoted"))
			.isEqualTo("• one\n• two\n\n1. first\n2. second\n\n> quoted");
	}

	@Test
	void tablesBecomeAlignedCodeBlocks() {
		assertThat(SlackMarkdown.toMrkdwn("| a | bb |\n|---|---|\n| ccc | d |"))
			.isEqualTo("```\na   | bb\n----+---\nccc | d\n```");
	}

	@Test
	void halfWrittenMarkdownStillConverts() {
		assertThat(SlackMarkdown.toMrkdwn("Here is **bo")).isEqualTo("Here is **bo");
		assertThat(SlackMarkdown.toMrkdwn("```\ncode not closed yet")).isEqualTo("```\ncode not closed yet\n```");
	}

	@Test
	void longTextIsSplitAtLineEndsAndCodeBlocksAreClosedAndReopened() {
		String text = "```\n" + "line of code\n".repeat(20) + "```\nafter";
		List<String> parts = SlackMarkdown.split(text, 100);
		assertThat(parts).hasSizeGreaterThan(2);
		assertThat(parts).allSatisfy(part -> {
			assertThat(part.length()).isLessThanOrEqualTo(100);
			assertThat(part.split("```", -1).length % 2).as("balanced fences in %s", part).isEqualTo(1);
		});
		assertThat(String.join("\n", parts).replace("```\n```\n", "").replace("\n```\n```", "")).contains("after");
		assertThat(SlackMarkdown.split("short", 100)).containsExactly("short");
	}

}
