package io.switchboard.comic;

import java.nio.file.Path;

import io.switchboard.testsupport.StandaloneApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bad {@code switchboard.comic.*} setting stops start-up naming the property. */
class ComicConfigurationTest {

	@TempDir
	Path data;

	private ConfigurableApplicationContext start(String... properties) {
		return StandaloneApplication.start(data.resolve("switchboard.db"), properties);
	}

	private static String messages(Throwable failure) {
		return StandaloneApplication.messages(failure);
	}

	@Test
	void anUnknownStoryModelNamesItsProperty() {
		assertThatThrownBy(() -> start("switchboard.comic.story-model=gpt-9")).satisfies(
				failure -> assertThat(messages(failure)).contains("switchboard.comic.story-model").contains("gpt-9"));
	}

	@Test
	void anUnknownLayoutNamesItsProperty() {
		assertThatThrownBy(() -> start("switchboard.comic.default-layout=diagonal"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.comic.default-layout"));
	}

	@Test
	void anOutOfRangePanelSizeNamesItsProperty() {
		assertThatThrownBy(() -> start("switchboard.comic.panel-size=10"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.comic").contains("panelSize"));
	}

	@Test
	void requiredCjkFontsThatAreNotThereStopStartUpSayingWhatToInstall() {
		assertThatThrownBy(() -> start("switchboard.comic.fonts=" + data.resolve("no-such-font.ttc"),
				"switchboard.comic.system-fonts=false", "switchboard.comic.require-cjk-fonts=true"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.comic.fonts")
				.contains("Korean, Japanese, Chinese")
				.contains("apt-get install fonts-noto-cjk"));
	}

	@Test
	void theInstalledNotoSansCjkSatisfiesTheRequirement() {
		StripRendererTest.requireCjkFont();
		try (ConfigurableApplicationContext context = start("switchboard.comic.require-cjk-fonts=true",
				"switchboard.comic.system-fonts=false")) {
			assertThat(context.getBean(Comics.class).missingFontScripts()).isEmpty();
		}
	}

}
