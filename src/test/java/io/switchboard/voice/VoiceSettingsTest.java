package io.switchboard.voice;

import java.nio.file.Path;

import io.switchboard.testsupport.StandaloneApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Voice settings that cannot work stop start-up with a message naming the setting. */
class VoiceSettingsTest {

	@TempDir
	Path data;

	@Test
	void aProviderThatIsNotConfiguredIsNamedWithTheConfiguredOnes() {
		assertThatThrownBy(() -> start("switchboard.voice.provider=whisper",
				"switchboard.llm.providers.openai.type=openai", "switchboard.llm.providers.openai.api-key=sk-secret"))
			.satisfies(failure -> assertThat(StandaloneApplication.messages(failure))
				.contains("switchboard.voice.provider")
				.contains("\"whisper\"")
				.contains("configured: openai")
				.doesNotContain("sk-secret"));
	}

	@Test
	void aProviderThatDoesNotSpeakOpenAisProtocolIsRefused() {
		assertThatThrownBy(
				() -> start("switchboard.voice.provider=claude", "switchboard.llm.providers.claude.type=anthropic",
						"switchboard.llm.providers.claude.api-key=sk-ant-test"))
			.satisfies(failure -> assertThat(StandaloneApplication.messages(failure))
				.contains("switchboard.voice.provider")
				.contains("type openai"));
	}

	private void start(String... settings) {
		StandaloneApplication.start(data.resolve("refused.db"), settings).close();
	}

}
