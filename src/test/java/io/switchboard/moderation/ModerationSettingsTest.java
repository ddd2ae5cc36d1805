package io.switchboard.moderation;

import java.nio.file.Path;

import io.switchboard.testsupport.StandaloneApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Moderation settings that cannot work stop start-up with a message naming the setting.
 */
class ModerationSettingsTest {

	@TempDir
	Path data;

	@Test
	void anUnknownPlatformIsNamedWithThePlatformsThereAre() {
		assertThatThrownBy(() -> start("switchboard.moderation.platforms=discord,telegram",
				"switchboard.moderation.provider=openai", "switchboard.llm.providers.openai.type=openai"))
			.satisfies(failure -> assertThat(StandaloneApplication.messages(failure))
				.contains("switchboard.moderation.platforms")
				.contains("telegram")
				.contains("discord, line, slack, web"));
	}

	@Test
	void platformsWithoutAProviderAskForOne() {
		assertThatThrownBy(() -> start("switchboard.moderation.platforms=discord"))
			.satisfies(failure -> assertThat(StandaloneApplication.messages(failure))
				.contains("switchboard.moderation.provider"));
	}

	@Test
	void aProviderThatIsNotConfiguredIsNamedWithTheConfiguredOnes() {
		assertThatThrownBy(() -> start("switchboard.moderation.platforms=line", "switchboard.moderation.provider=oai",
				"switchboard.llm.providers.openai.type=openai", "switchboard.llm.providers.openai.api-key=sk-secret"))
			.satisfies(failure -> assertThat(StandaloneApplication.messages(failure))
				.contains("switchboard.moderation.provider")
				.contains("\"oai\"")
				.contains("configured: openai")
				.doesNotContain("sk-secret"));
	}

	@Test
	void aProviderThatDoesNotSpeakOpenAisProtocolIsRefused() {
		assertThatThrownBy(() -> start("switchboard.moderation.platforms=line",
				"switchboard.moderation.provider=claude", "switchboard.llm.providers.claude.type=anthropic",
				"switchboard.llm.providers.claude.api-key=sk-ant-test"))
			.satisfies(failure -> assertThat(StandaloneApplication.messages(failure))
				.contains("switchboard.moderation.provider")
				.contains("type openai"));
	}

	private void start(String... settings) {
		StandaloneApplication.start(data.resolve("refused.db"), settings).close();
	}

}
