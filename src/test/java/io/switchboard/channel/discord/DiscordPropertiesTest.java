package io.switchboard.channel.discord;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.IgnoreTopLevelConverterNotFoundBindHandler;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code switchboard.discord.*} is bound and checked as at start-up: defaults, bad values
 * refused naming their property, and the token never shown.
 */
class DiscordPropertiesTest {

	static DiscordProperties bind(Map<String, String> settings) {
		Map<String, String> prefixed = new HashMap<>();
		settings.forEach((key, value) -> prefixed.put("switchboard.discord." + key, value));
		LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
		validator.afterPropertiesSet();
		return new Binder(new MapConfigurationPropertySource(prefixed)).bindOrCreate("switchboard.discord",
				Bindable.of(DiscordProperties.class),
				new ValidationBindHandler(new IgnoreTopLevelConverterNotFoundBindHandler(), validator));
	}

	static String failure(Map<String, String> settings) {
		try {
			bind(settings);
		}
		catch (BindException refused) {
			StringBuilder all = new StringBuilder();
			for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
				all.append(cause.getMessage()).append('\n');
			}
			return all.toString();
		}
		throw new AssertionError("accepted " + settings);
	}

	@Test
	void offWithDefaultsWhenNothingIsSet() {
		DiscordProperties properties = bind(Map.of());
		assertThat(properties.enabled()).isFalse();
		assertThat(properties.commandGuilds()).isEmpty();
		assertThat(properties.shards()).isEqualTo(1);
		assertThat(properties.editInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.leaseTtl()).isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.leaseRenewInterval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.restBaseUrl()).hasToString("https://discord.com/api/v10/");
		assertThat(properties.gatewayUrl()).isNull();
	}

	@Test
	void onWithATokenWhichIsNeverShown() {
		DiscordProperties properties = bind(
				Map.of("token", "MTIz.secret-bot-token", "command-guilds", "123456789012345678,223456789012345678"));
		assertThat(properties.enabled()).isTrue();
		assertThat(properties.commandGuilds()).containsExactly("123456789012345678", "223456789012345678");
		assertThat(properties.toString()).doesNotContain("secret").contains("token=******");
		assertThat(bind(Map.of("token", "  ")).enabled()).isFalse();
	}

	@Test
	void badValuesAreRefusedNamingTheirProperty() {
		assertThat(failure(Map.of("shards", "0"))).contains("switchboard.discord.shards");
		assertThat(failure(Map.of("command-guilds", "my-server"))).contains("switchboard.discord.commandGuilds[0]")
			.contains("guild id");
		assertThat(failure(Map.of("edit-interval", "10ms"))).contains("switchboard.discord.edit-interval");
		assertThat(failure(Map.of("lease-renew-interval", "20s"))).contains("lease-renew-interval");
		assertThat(failure(Map.of("lease-ttl", "1s"))).contains("switchboard.discord.lease-ttl");
		assertThat(failure(Map.of("gateway-url", "http://example.com/"))).contains("gateway-url");
		assertThat(failure(Map.of("rest-base-url", "ftp://example.com/"))).contains("rest-base-url");
		assertThatThrownBy(() -> bind(Map.of("shards", "many"))).isInstanceOf(BindException.class)
			.hasMessageContaining("switchboard.discord.shards");
	}

}
