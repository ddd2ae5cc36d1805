package io.switchboard.channel.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A button press reads as what it does; anything typed reads as typed. */
class CommandEchoTest {

	@Test
	void aProposedFactsButtonsReadAsWhatTheyDo() {
		assertThat(CommandEcho.of("/remember suggested 1a2b3c4d confirm")).isEqualTo("Remember the proposed fact");
		assertThat(CommandEcho.of("/remember suggested 1a2b3c4d cancel")).isEqualTo("Don't remember the proposed fact");
		assertThat(CommandEcho.of("/remember I like tea")).isEqualTo("/remember I like tea");
	}

}
