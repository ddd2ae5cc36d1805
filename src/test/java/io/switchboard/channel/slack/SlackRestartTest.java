package io.switchboard.channel.slack;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.SwitchboardApplication;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.FakeSlack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slack retries an event it thinks was lost; a retry that arrives after the server
 * restarted is still recognised, because event ids are kept in the database.
 */
class SlackRestartTest {

	@TempDir
	Path data;

	private ConfigurableApplicationContext start(FakeSlack slack, FakeOpenAi openai) {
		return new SpringApplicationBuilder(SwitchboardApplication.class).web(WebApplicationType.SERVLET)
			.run("--spring.datasource.url=jdbc:sqlite:" + data.resolve("switchboard.db"), "--server.port=0",
					"--spring.main.banner-mode=off", "--switchboard.slack.bot-token=" + FakeSlack.BOT_TOKEN,
					"--switchboard.slack.signing-secret=" + FakeSlack.SIGNING_SECRET,
					"--switchboard.slack.api-url=" + slack.apiUrl(), "--switchboard.llm.providers.fake.type=openai",
					"--switchboard.llm.providers.fake.base-url=" + openai.baseUrl(),
					"--switchboard.llm.models.gpt-test.provider=fake");
	}

	private static URI events(ConfigurableApplicationContext context) {
		return URI
			.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/slack/events");
	}

	@Test
	void aRetryAfterARestartIsNotAnsweredAgain() {
		try (FakeSlack slack = new FakeSlack(); FakeOpenAi openai = FakeOpenAi.start()) {
			JsonNode event = FakeSlack.message("CGENERAL", "channel", "UADA", "Before the restart", "1820000000.000001",
					null);
			try (ConfigurableApplicationContext first = start(slack, openai)) {
				assertThat(slack.deliverEvent(events(first), "EvRESTART", event, null).status()).isEqualTo(200);
				await().atMost(Duration.ofSeconds(20))
					.until(() -> slack.thread("CGENERAL", "1820000000.000001")
						.stream()
						.anyMatch(m -> m.text().equals("Echo: Before the restart")));
			}
			try (ConfigurableApplicationContext second = start(slack, openai)) {
				assertThat(slack.deliverEvent(events(second), "EvRESTART", event, 1).status()).isEqualTo(200);
				await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
			}
			assertThat(slack.thread("CGENERAL", "1820000000.000001")).hasSize(1);
			assertThat(openai.requests()).hasSize(1);
		}
	}

}
