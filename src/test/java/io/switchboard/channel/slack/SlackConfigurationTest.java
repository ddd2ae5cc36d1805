package io.switchboard.channel.slack;

import java.nio.file.Path;

import com.slack.api.bolt.App;
import io.switchboard.testsupport.StandaloneApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The channel is off unless configured, and a bad Slack setting stops start-up naming the
 * property, without showing a secret.
 */
class SlackConfigurationTest {

	@TempDir
	Path data;

	private ConfigurableApplicationContext start(String... properties) {
		return StandaloneApplication.start(data.resolve("switchboard.db"), properties);
	}

	private static String messages(Throwable failure) {
		return StandaloneApplication.messages(failure);
	}

	@Test
	void withoutABotTokenTheChannelIsOff() {
		try (ConfigurableApplicationContext context = start()) {
			assertThat(context.getBeansOfType(App.class)).isEmpty();
			assertThat(context.getBeansOfType(SlackIntake.class)).isEmpty();
		}
	}

	@Test
	void theEventsApiNeedsTheSigningSecret() {
		assertThatThrownBy(() -> start("switchboard.slack.bot-token=xoxb-secret-token"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.slack.signing-secret")
				.doesNotContain("xoxb-secret-token"));
	}

	@Test
	void socketModeNeedsTheAppToken() {
		assertThatThrownBy(
				() -> start("switchboard.slack.bot-token=xoxb-secret-token", "switchboard.slack.mode=socket-mode"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.slack.app-token"));
	}

	@Test
	void tokensOfTheWrongKindAreRefused() {
		assertThatThrownBy(() -> start("switchboard.slack.bot-token=xapp-this-is-an-app-token",
				"switchboard.slack.signing-secret=s"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.slack")
				.contains("botToken")
				.contains("must be a bot token"));
	}

	@Test
	void anUnknownModeOrATooFastPaceNamesItsProperty() {
		assertThatThrownBy(() -> start("switchboard.slack.bot-token=xoxb-t", "switchboard.slack.signing-secret=s",
				"switchboard.slack.mode=carrier-pigeon"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.slack.mode"));
		assertThatThrownBy(() -> start("switchboard.slack.bot-token=xoxb-t", "switchboard.slack.signing-secret=s",
				"switchboard.slack.update-interval=10ms"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.slack.update-interval"));
	}

	@Test
	void secretsAreMaskedWhenThePropertiesArePrinted() {
		SlackProperties properties = new SlackProperties("xoxb-secret-token", SlackProperties.Mode.EVENTS_API,
				"signing-secret-value", "xapp-secret-app-token", "/slack/events",
				java.net.URI.create("https://slack.com/api/"), SlackProperties.Respond.ALL, null,
				java.time.Duration.ofSeconds(1), "/switchboard", "/imagine");
		assertThat(properties.toString()).doesNotContain("xoxb-secret-token")
			.doesNotContain("signing-secret-value")
			.doesNotContain("xapp-secret-app-token")
			.contains("******");
	}

}
