package io.switchboard.channel.slack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Slack's message markup read back as people wrote it. */
class SlackTextTest {

	@Test
	void theBotsMentionIsRemovedAndOthersAreKeptReadable() {
		assertThat(SlackText
			.plain("<@UBOT> ask <@UADA|ada> in <#C1|general> about <https://x.io|this> &amp; &lt;that&gt;", "UBOT"))
			.isEqualTo("ask @ada in #general about this (https://x.io) & <that>");
		assertThat(SlackText.plain("<@UBOT> /session info", "UBOT")).isEqualTo("/session info");
	}

	@Test
	void mentionsAreFound() {
		assertThat(SlackText.mentions("hi <@UBOT>", "UBOT")).isTrue();
		assertThat(SlackText.mentions("hi <@UOTHER>", "UBOT")).isFalse();
	}

}
