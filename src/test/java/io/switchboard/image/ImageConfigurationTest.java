package io.switchboard.image;

import java.nio.file.Path;
import java.time.Duration;

import io.switchboard.testsupport.StandaloneApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bad image setting stops start-up with a message that names the property. */
class ImageConfigurationTest {

	@TempDir
	Path data;

	private ConfigurableApplicationContext start(String... properties) {
		return StandaloneApplication.start(data.resolve("switchboard.db"), properties);
	}

	private static String messages(Throwable failure) {
		return StandaloneApplication.messages(failure);
	}

	@Test
	void anUnknownDefaultProviderNamesItsProperty() {
		assertThatThrownBy(() -> start("switchboard.image.default-provider=nowhere"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.image.default-provider")
				.contains("nowhere"));
	}

	@Test
	void aBackendWithoutItsAddressNamesTheProperty() {
		assertThatThrownBy(() -> start("switchboard.image.providers.sd.type=sd-webui"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.image.providers.sd.base-url"));
	}

	@Test
	void anUnknownTypeAndOutOfRangeLimitsNameTheirProperties() {
		assertThatThrownBy(() -> start("switchboard.image.providers.x.type=dalle"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.image.providers.x.type"));
		assertThatThrownBy(() -> start("switchboard.image.providers.x.type=demo",
				"switchboard.image.providers.x.max-concurrent=0"))
			.satisfies(
					failure -> assertThat(messages(failure)).contains("switchboard.image").contains("maxConcurrent"));
		assertThatThrownBy(() -> start("switchboard.image.timeout=0s"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.image.timeout"));
	}

	@Test
	void secretsStayOutOfLogs() {
		ImageProperties.Provider provider = new ImageProperties.Provider(ImageProperties.ProviderType.OPENAI, null,
				"sk-very-secret", "user", "hunter2", null, null, 100, null, Duration.ofSeconds(2),
				Duration.ofSeconds(10), Duration.ofSeconds(10), null, null, 0.35, 0.75, 2, "R-ESRGAN 4x+", null, true,
				null);
		assertThat(provider.toString()).doesNotContain("sk-very-secret").doesNotContain("hunter2").contains("******");
	}

	@Test
	void startsWithTheDemoProviderWhenNoneIsConfigured() {
		try (ConfigurableApplicationContext context = start()) {
			ImageProviders providers = context.getBean(ImageProviders.class);
			assertThat(providers.names()).containsExactly("demo");
			assertThat(providers.defaultProvider().demo()).isTrue();
		}
	}

}
