package io.switchboard.image;

import java.nio.file.Path;
import java.time.Duration;

import io.switchboard.SwitchboardApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bad image setting stops start-up with a message that names the property. */
class ImageConfigurationTest {

	@TempDir
	Path data;

	private ConfigurableApplicationContext start(String... properties) {
		String[] arguments = new String[properties.length + 3];
		arguments[0] = "--spring.datasource.url=jdbc:sqlite:" + data.resolve("switchboard.db");
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
				Duration.ofSeconds(10), Duration.ofSeconds(10), null, null, 0.35, 0.75, 2, "R-ESRGAN 4x+", null, true);
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
