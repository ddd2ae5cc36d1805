package io.switchboard.api;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserRole;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.testsupport.StandaloneApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream still open when the server stops gets a last error event saying the server is
 * restarting, and the process stops within the shutdown phase's timeout plus a little,
 * however long the upstream would have taken.
 */
class GatewayShutdownTest {

	@TempDir
	Path folder;

	@Test
	void aStreamStillOpenAtShutdownIsToldTheServerIsRestartingAndShutdownIsPrompt() throws Exception {
		CountDownLatch never = new CountDownLatch(1);
		try (FakeOpenAi upstream = FakeOpenAi.start()) {
			upstream.replyInPieces("First", " and", " never", " more").holdNextStreamAfterFirstPiece(never);
			ConfigurableApplicationContext server = StandaloneApplication.start(folder.resolve("db.sqlite"),
					"switchboard.llm.providers.slow.type=openai",
					"switchboard.llm.providers.slow.base-url=" + upstream.baseUrl(),
					"switchboard.llm.models.slow.provider=slow", "spring.lifecycle.timeout-per-shutdown-phase=2s");
			int port = StandaloneApplication.port(server);
			Conversations conversations = server.getBean(Conversations.class);
			User user = conversations.createUser(new PlatformUserId("test", "shutdown"), "S", UserRole.MEMBER);
			String key = server.getBean(ApiKeys.class).create(user, user.id(), "k", ApiKey.Limits.NONE).secret();

			HttpResponse<InputStream> response = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.build()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
					.header("Authorization", "Bearer " + key)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(
							"{\"model\":\"slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
					.build(), HttpResponse.BodyHandlers.ofInputStream());
			assertThat(response.statusCode()).isEqualTo(200);
			BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
			StringBuilder got = new StringBuilder();
			String line;
			while ((line = lines.readLine()) != null && !line.contains("First")) {
				got.append(line).append('\n');
			}

			long stopping = System.nanoTime();
			Thread closer = Thread.ofVirtual().start(server::close);
			try {
				while ((line = lines.readLine()) != null) {
					got.append(line).append('\n');
				}
			}
			catch (java.io.IOException cut) {
				// the server went away after its last event, without a final chunk
			}
			closer.join(Duration.ofSeconds(30));
			Duration took = Duration.ofNanos(System.nanoTime() - stopping);

			assertThat(got.toString()).contains("server_restarting").contains("restarting").doesNotContain("[DONE]");
			assertThat(closer.isAlive()).isFalse();
			// the 2 s grace period, then a few seconds at most
			assertThat(took).isLessThan(Duration.ofSeconds(10));
			never.countDown();
		}
	}

}
