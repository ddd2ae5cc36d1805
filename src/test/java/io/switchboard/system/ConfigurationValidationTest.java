package io.switchboard.system;

import java.nio.file.Path;

import io.switchboard.testsupport.StandaloneApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bad setting stops start-up with a message that names the property. */
class ConfigurationValidationTest {

	@TempDir
	Path data;

	private ConfigurableApplicationContext start(String... properties) {
		return StandaloneApplication.start(data.resolve("db/switchboard.db"), properties);
	}

	private static String messages(Throwable failure) {
		return StandaloneApplication.messages(failure);
	}

	@Test
	void startsWithNoConfigurationAtAllOnAnSqliteFileInAFolderThatDidNotExist() {
		try (ConfigurableApplicationContext context = start()) {
			assertThat(context.isRunning()).isTrue();
			assertThat(data.resolve("db/switchboard.db")).exists();
		}
	}

	@Test
	void anOutOfRangeNumberNamesItsProperty() {
		assertThatThrownBy(() -> start("switchboard.assistant.max-message-chars=0")).satisfies(
				failure -> assertThat(messages(failure)).contains("switchboard.assistant").contains("maxMessageChars"));
	}

	@Test
	void aValueOfTheWrongTypeNamesItsProperty() {
		assertThatThrownBy(() -> start("switchboard.conversation.initial-state=sleepy"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.conversation.initial-state"));
	}

	@Test
	void aModelOfAnUnknownProviderNamesItsProperty() {
		assertThatThrownBy(() -> start("switchboard.llm.models.gpt.provider=nowhere"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.llm.models.gpt.provider")
				.contains("nowhere"));
	}

	@Test
	void anUnknownImageDetailNamesItsPropertyAndValue() {
		assertThatThrownBy(() -> start("switchboard.llm.models.eyes.provider=demo",
				"switchboard.llm.models.eyes.image-detail=medium"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.llm.models.eyes.image-detail")
				.contains("medium"));
	}

	@Test
	void anUnknownDefaultModelNamesItsProperty() {
		assertThatThrownBy(() -> start("switchboard.llm.default-model=gpt-9"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.llm.default-model"));
	}

	@Test
	void aProviderWithoutATypeNamesItsProperty() {
		assertThatThrownBy(() -> start("switchboard.llm.providers.openai.api-key=sk-secret-value"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.llm.providers")
				.contains("type")
				.doesNotContain("sk-secret-value"));
	}

}
