package io.switchboard.channel.slack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.FakeSlack;
import io.switchboard.fakes.FakeSlackSocketMode;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Socket Mode end to end: the app opens the WebSocket itself (no public URL), receives
 * envelopes, acknowledges each, and answers in threads as over the Events API.
 */
@IntegrationTest
class SlackSocketModeTest {

	static final FakeSlack slack = new FakeSlack().user("UADA", "Ada");

	static final FakeOpenAi openai = FakeOpenAi.start();

	@DynamicPropertySource
	static void fakes(DynamicPropertyRegistry registry) {
		registry.add("switchboard.slack.bot-token", () -> FakeSlack.BOT_TOKEN);
		registry.add("switchboard.slack.mode", () -> "socket-mode");
		registry.add("switchboard.slack.app-token", () -> FakeSlack.APP_TOKEN);
		registry.add("switchboard.slack.api-url", () -> slack.apiUrl().toString());
		registry.add("switchboard.llm.providers.fake-openai.type", () -> "openai");
		registry.add("switchboard.llm.providers.fake-openai.base-url", () -> openai.baseUrl().toString());
		registry.add("switchboard.llm.models.gpt-test.provider", () -> "fake-openai");
		registry.add("switchboard.llm.models.gpt-test.upstream-model", () -> "gpt-4o-mini");
	}

	@AfterAll
	static void stopFakes() {
		slack.close();
		openai.close();
	}

	@LocalServerPort
	int port;

	@Test
	void eventsArriveOverTheSocketAreAcknowledgedAndAnsweredOnceInAThread() throws Exception {
		FakeSlackSocketMode socket = slack.socketMode();
		assertThat(socket.awaitConnection(Duration.ofSeconds(30))).isTrue();
		assertThat(slack.calls("apps.connections.open")).isNotEmpty();

		String ts = "1810000000.000001";
		var callback = slack.eventCallback("EvSOCKET1",
				FakeSlack.message("CSOCK", "channel", "UADA", "Hello over the socket", ts, null));
		String envelope = socket.sendEvent(callback, 0);
		await().atMost(Duration.ofSeconds(10)).until(() -> socket.acknowledged(envelope));

		await().atMost(Duration.ofSeconds(20))
			.until(() -> slack.thread("CSOCK", ts)
				.stream()
				.anyMatch(m -> m.text().equals("Echo: Hello over the socket")));

		// Slack retries an envelope it thinks was not acknowledged: acknowledged again,
		// not answered again
		String retry = socket.sendEvent(callback, 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> socket.acknowledged(retry));
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> true);
		assertThat(slack.thread("CSOCK", ts)).hasSize(1);
		assertThat(openai.requests()).hasSize(1);

		// follow-ups in the thread continue it
		socket.sendEvent(slack.eventCallback("EvSOCKET2",
				FakeSlack.message("CSOCK", "channel", "UADA", "And again", "1810000000.000002", ts)), 0);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> slack.thread("CSOCK", ts).stream().anyMatch(m -> m.text().equals("Echo: And again")));
		assertThat(openai.lastRequestJson().toString()).contains("Hello over the socket");
	}

	@Test
	void aSlashCommandArrivesOverTheSocket() {
		FakeSlackSocketMode socket = slack.socketMode();
		assertThat(socket.awaitConnection(Duration.ofSeconds(30))).isTrue();
		int before = slack.responses().size();
		String envelope = socket.sendSlashCommand(slack.commandFields("/switchboard", "models", "UADA", "CSOCK"));
		await().atMost(Duration.ofSeconds(10)).until(() -> socket.acknowledged(envelope));
		await().atMost(Duration.ofSeconds(20)).until(() -> slack.responses().size() > before);
		assertThat(slack.responses().getLast().path("text").asText()).contains("*Models*").contains("gpt-test");
	}

	@Test
	void noEventsUrlIsOpenInSocketMode() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/events"))
				.POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"url_verification\",\"challenge\":\"x\"}"))
				.header("Content-Type", "application/json")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isNotEqualTo(200);
		assertThat(response.body()).doesNotContain("x\"");
	}

	@Test
	void aButtonPressArrivesOverTheSocket() {
		FakeSlackSocketMode socket = slack.socketMode();
		assertThat(socket.awaitConnection(Duration.ofSeconds(30))).isTrue();
		int before = slack.responses().size();
		socket.sendSlashCommand(slack.commandFields("/switchboard", "", "UADA", "CSOCK"));
		await().atMost(Duration.ofSeconds(20)).until(() -> slack.responses().size() > before);
		var help = slack.responses().getLast();
		String envelope = socket
			.sendInteraction(slack.ephemeralButtonPress("UADA", "CSOCK", help.path("blocks"), "cmd-2"));
		await().atMost(Duration.ofSeconds(10)).until(() -> socket.acknowledged(envelope));
		await().atMost(Duration.ofSeconds(20)).until(() -> slack.responses().size() > before + 1);
		assertThat(slack.responses().getLast().path("text").asText()).contains("*Models*");
	}

	@Test
	void whenSlackAsksTheAppReconnects() {
		FakeSlackSocketMode socket = slack.socketMode();
		assertThat(socket.awaitConnection(Duration.ofSeconds(30))).isTrue();
		int opened = socket.connectionsOpened();
		socket.sendDisconnect();
		await().atMost(Duration.ofSeconds(30)).until(() -> socket.connectionsOpened() > opened);
		assertThat(socket.awaitConnection(Duration.ofSeconds(10))).isTrue();
		String ts = "1810000000.000100";
		socket.sendEvent(slack.eventCallback("EvSOCKET9",
				FakeSlack.message("CSOCK", "channel", "UADA", "After reconnecting", ts, null)), 0);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> slack.thread("CSOCK", ts).stream().anyMatch(m -> m.text().equals("Echo: After reconnecting")));
	}

}
