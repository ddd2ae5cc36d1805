package io.switchboard.channel.line;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.testsupport.StandaloneApplication;
import io.switchboard.fakes.FakeLine;
import io.switchboard.fakes.FakeOpenAi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The LINE settings at start-up: the channel is off unless configured, a half or bad
 * configuration stops start-up naming the property, secrets never show, and a LINE
 * redelivery after a restart is still recognised.
 */
class LineConfigurationTest {

	static final FakeLine line = FakeLine.start("restart-secret", "restart-token");

	static final FakeOpenAi openai = FakeOpenAi.start();

	@TempDir
	Path data;

	@AfterAll
	static void stop() {
		line.close();
		openai.close();
	}

	private ConfigurableApplicationContext start(String... properties) {
		String[] arguments = new String[properties.length + 1];
		arguments[0] = "db-scheduler.polling-interval=100ms";
		System.arraycopy(properties, 0, arguments, 1, properties.length);
		return StandaloneApplication.start(data.resolve("sb.db"), arguments);
	}

	private static String messages(Throwable failure) {
		return StandaloneApplication.messages(failure);
	}

	private static String[] configured(String... more) {
		List<String> all = new ArrayList<>(List.of("switchboard.line.channel-secret=" + line.channelSecret(),
				"switchboard.line.channel-access-token=" + line.accessToken(),
				"switchboard.line.api-base-url=" + line.uri(), "switchboard.line.data-api-base-url=" + line.uri(),
				"switchboard.llm.providers.fake.type=openai",
				"switchboard.llm.providers.fake.base-url=" + openai.baseUrl(),
				"switchboard.llm.models.gpt.provider=fake"));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	@Test
	void theChannelIsOffUnlessConfigured() {
		try (ConfigurableApplicationContext context = start()) {
			assertThat(context.getBeanNamesForType(LineWebhookController.class)).isEmpty();
			assertThat(context.getBeanNamesForType(LineEvents.class)).isEmpty();
		}
	}

	@Test
	void aSecretWithoutATokenNamesTheMissingProperty() {
		assertThatThrownBy(() -> start("switchboard.line.channel-secret=s3cret-value"))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.line")
				.contains("channelAccessToken")
				.doesNotContain("s3cret-value"));
	}

	@Test
	void badValuesNameTheirProperty() {
		assertThatThrownBy(() -> start(configured("switchboard.line.loading-seconds=7")))
			.satisfies(failure -> assertThat(messages(failure)).contains("loadingSeconds"));
		assertThatThrownBy(() -> start(configured("switchboard.line.webhook-path=line/hook")))
			.satisfies(failure -> assertThat(messages(failure)).contains("webhookPath"));
		assertThatThrownBy(() -> start(configured("switchboard.line.group-replies=sometimes")))
			.satisfies(failure -> assertThat(messages(failure)).contains("switchboard.line.group-replies"));
		assertThatThrownBy(() -> start(configured("switchboard.line.reply-token-ttl=5m")))
			.satisfies(failure -> assertThat(messages(failure)).contains("replyTokenTtl"));
	}

	@Test
	void theSecretsAreMasked() {
		LineProperties properties = new LineProperties("the-secret", "the-token", "/line/webhook",
				URI.create("https://api.line.me"), URI.create("https://api-data.line.me"),
				LineProperties.GroupReplies.MENTION_OR_COMMAND, org.springframework.util.unit.DataSize.ofMegabytes(1),
				Duration.ofSeconds(50), 20, Duration.ofMinutes(10), false, Duration.ofSeconds(10));
		assertThat(properties.toString()).doesNotContain("the-secret").doesNotContain("the-token").contains("******");
	}

	@Test
	void aRedeliveryAfterARestartIsStillRecognisedTheWebhookPathIsConfigurableAndTheMenuInstalledAtStartUp() {
		String user = "Urestart0000000000000000000000001";
		ObjectNode event = line.message(FakeLine.user(user),
				io.switchboard.fakes.Json.object().put("type", "text").put("text", "before the restart"),
				java.time.Instant.now());
		String body = FakeLine.body(event);
		String[] settings = configured("switchboard.line.webhook-path=/hooks/line",
				"switchboard.line.install-rich-menu=true");

		try (ConfigurableApplicationContext first = start(settings)) {
			assertThat(line.defaultRichMenu()).isNotNull();
			assertThat(line.deliver(webhook(first), body).statusCode()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(20)).until(() -> line.sentTo(user).size() == 1);
		}
		int modelCalls = openai.requests().size();

		event.withObject("deliveryContext").put("isRedelivery", true);
		try (ConfigurableApplicationContext second = start(settings)) {
			assertThat(line.deliver(webhook(second), FakeLine.body(event)).statusCode()).isEqualTo(200);
			await().during(Duration.ofSeconds(2))
				.atMost(Duration.ofSeconds(5))
				.until(() -> line.sentTo(user).size() == 1 && openai.requests().size() == modelCalls);
		}
	}

	private static URI webhook(ConfigurableApplicationContext context) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return URI.create("http://127.0.0.1:" + port + "/hooks/line");
	}

}
