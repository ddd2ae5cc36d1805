package io.switchboard.system;

import java.nio.file.Path;

import io.switchboard.SwitchboardApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bad setting stops start-up with a message that names the property. */
class ConfigurationValidationTest {

	@TempDir
	Path data;

	private ConfigurableApplicationContext start(String... properties) {
		// command-line arguments, so they win over application.yml as an operator's would
		String[] arguments = new String[properties.length + 3];
		arguments[0] = "--spring.datasource.url=jdbc:sqlite:" + data.resolve("db/switchboard.db");
		arguments[1] = "--server.port=0";
		arguments[2] = "--spring.main.banner-mode=off";
		for (int i = 0; i < properties.length; i++) {
			arguments[i + 3] = "--" + properties[i];
		}
		return new SpringApplicationBuilder(SwitchboardApplication.class).web(WebApplicationType.SERVLET)
			.run(arguments);
	}

	private static String messages(Throwable failure) {
		StringBuilder all = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			all.append(cause.getMessage()).append('\n');
		}
		return all.toString();
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
