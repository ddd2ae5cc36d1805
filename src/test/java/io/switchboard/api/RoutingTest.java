package io.switchboard.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserRole;
import io.switchboard.fakes.FakeAnthropic;
import io.switchboard.fakes.FakeChatServer.Failure;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.Json;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing over several upstream deployments: weights, retries and Retry-After, ordered
 * fallback models before the first byte, and what the client hears when nothing is left.
 */
@IntegrationTest
class RoutingTest {

	static final FakeOpenAi east = FakeOpenAi.start("key-east");

	static final FakeOpenAi west = FakeOpenAi.start("key-west");

	static final FakeOpenAi first = FakeOpenAi.start();

	static final FakeOpenAi second = FakeOpenAi.start();

	static final FakeOpenAi backup = FakeOpenAi.start();

	static final FakeOpenAi lonely = FakeOpenAi.start();

	static final FakeAnthropic anthropic = FakeAnthropic.start("sk-ant");

	static final FakeOpenAi picky = FakeOpenAi.start();

	static final FakeOpenAi guarded = FakeOpenAi.start("expected-key");

	static void provider(DynamicPropertyRegistry registry, String name, FakeOpenAi fake) {
		registry.add("switchboard.llm.providers." + name + ".type", () -> "openai");
		registry.add("switchboard.llm.providers." + name + ".base-url", () -> fake.baseUrl().toString());
		if (fake.apiKey() != null) {
			registry.add("switchboard.llm.providers." + name + ".api-key", fake::apiKey);
		}
	}

	@DynamicPropertySource
	static void routes(DynamicPropertyRegistry registry) {
		provider(registry, "east", east);
		provider(registry, "west", west);
		provider(registry, "first", first);
		provider(registry, "second", second);
		provider(registry, "backup", backup);
		provider(registry, "lonely", lonely);
		registry.add("switchboard.llm.providers.anthropic.type", () -> "anthropic");
		registry.add("switchboard.llm.providers.anthropic.base-url", () -> anthropic.baseUrl().toString());
		registry.add("switchboard.llm.providers.anthropic.api-key", anthropic::apiKey);
		registry.add("switchboard.llm.retry.max-attempts", () -> "1");
		registry.add("switchboard.api.cooldown", () -> "10m");

		registry.add("switchboard.llm.models.weighted.provider", () -> "east");
		registry.add("switchboard.api.routes.weighted.deployments[0].provider", () -> "east");
		registry.add("switchboard.api.routes.weighted.deployments[0].upstream-model", () -> "gpt-east");
		registry.add("switchboard.api.routes.weighted.deployments[0].weight", () -> "3");
		registry.add("switchboard.api.routes.weighted.deployments[1].provider", () -> "west");
		registry.add("switchboard.api.routes.weighted.deployments[1].upstream-model", () -> "gpt-west");
		registry.add("switchboard.api.routes.weighted.deployments[1].weight", () -> "1");

		registry.add("switchboard.llm.models.primary.provider", () -> "first");
		registry.add("switchboard.api.routes.primary.deployments[0].provider", () -> "first");
		registry.add("switchboard.api.routes.primary.deployments[1].provider", () -> "second");
		registry.add("switchboard.api.routes.primary.fallbacks[0]", () -> "spare");
		registry.add("switchboard.llm.models.spare.provider", () -> "backup");
		registry.add("switchboard.llm.models.spare.upstream-model", () -> "gpt-spare");

		registry.add("switchboard.llm.models.alone.provider", () -> "lonely");
		provider(registry, "picky", picky);
		registry.add("switchboard.llm.models.picky.provider", () -> "picky");
		registry.add("switchboard.llm.providers.guarded.type", () -> "openai");
		registry.add("switchboard.llm.providers.guarded.base-url", () -> guarded.baseUrl().toString());
		registry.add("switchboard.llm.providers.guarded.api-key", () -> "wrong-key");
		registry.add("switchboard.llm.models.guarded.provider", () -> "guarded");

		registry.add("switchboard.llm.models.claude.provider", () -> "anthropic");
		registry.add("switchboard.api.routes.claude.fallbacks[0]", () -> "spare");
	}

	@AfterAll
	static void stopFakes() {
		for (var fake : new java.util.ArrayList<AutoCloseable>(
				java.util.List.of(east, west, first, second, backup, lonely, anthropic, picky, guarded))) {
			try {
				fake.close();
			}
			catch (Exception ignored) {
				// closing
			}
		}
	}

	@LocalServerPort
	int port;

	@Autowired
	ApiKeys keys;

	@Autowired
	Conversations conversations;

	final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	String key;

	@BeforeEach
	void setUp() {
		User user = conversations.createUser(new PlatformUserId("test", "router-" + UUID.randomUUID()), "Router",
				UserRole.MEMBER);
		key = keys.create(user, user.id(), "routing", ApiKey.Limits.NONE).secret();
	}

	HttpResponse<String> chat(String model, boolean stream) throws Exception {
		String body = "{\"model\":\"" + model + "\",\"stream\":" + stream
				+ ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
			.timeout(Duration.ofSeconds(30))
			.header("Authorization", "Bearer " + key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void deploymentsShareTheTrafficByWeightEachWithItsOwnKeyAndModelId() throws Exception {
		for (int i = 0; i < 200; i++) {
			assertThat(chat("weighted", false).statusCode()).isEqualTo(200);
		}
		// 3 : 1 of 200 is 150 : 50; a fair random split lands well within these bounds
		assertThat(east.requests().size()).isBetween(115, 185);
		assertThat(west.requests().size()).isEqualTo(200 - east.requests().size());
		assertThat(east.lastRequestJson().get("model").asText()).isEqualTo("gpt-east");
		assertThat(west.lastRequestJson().get("model").asText()).isEqualTo("gpt-west");
		assertThat(west.lastRequest().header("Authorization")).isEqualTo("Bearer key-west");
	}

	@Test
	void failingDeploymentsAreRetriedAndTheFallbackModelAnswersBeforeTheFirstByte() throws Exception {
		first.rateLimitNext(1, 3);
		second.failNext(Failure.SERVER_ERROR);
		backup.reply("From the spare");

		HttpResponse<String> answered = chat("primary", false);
		assertThat(answered.statusCode()).isEqualTo(200);
		assertThat(answered.body()).contains("From the spare");
		assertThat(first.requests()).hasSize(1);
		assertThat(second.requests()).hasSize(1);
		assertThat(backup.lastRequestJson().get("model").asText()).isEqualTo("gpt-spare");

		// the rate-limited deployment is held back as its Retry-After asked; the one that
		// failed once is not shut for everyone and answers the next request
		HttpResponse<String> streamed = chat("primary", true);
		assertThat(streamed.statusCode()).isEqualTo(200);
		assertThat(streamed.body()).contains("data: [DONE]");
		assertThat(first.requests()).hasSize(1);
		assertThat(second.requests()).hasSize(2);
		assertThat(backup.requests()).hasSize(1);
	}

	@Test
	void withNothingLeftTheClientHearsWhatHappenedAndWhenToComeBack() throws Exception {
		lonely.failNext(3, Failure.OVERLOADED);
		HttpResponse<String> down = chat("alone", false);
		assertThat(down.statusCode()).isEqualTo(502);
		JsonNode error = Json.read(down.body()).get("error");
		assertThat(error.get("message").asText()).contains("3 attempts").contains("HTTP 503").contains("overloaded");
		assertThat(error.get("type").asText()).isEqualTo("server_error");
		assertThat(lonely.requests()).hasSize(3);

		lonely.rateLimitNext(1, 30);
		HttpResponse<String> limited = chat("alone", false);
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("Retry-After")).hasValue("30");
		// held back as asked: refused without calling the upstream again
		HttpResponse<String> still = chat("alone", true);
		assertThat(still.statusCode()).isEqualTo(429);
		assertThat(still.headers().firstValue("Retry-After"))
			.hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 30L));
		assertThat(lonely.requests()).hasSize(4);
	}

	@Test
	void aTranslatedModelFallsBackToAPassThroughOne() throws Exception {
		anthropic.failNext(Failure.RATE_LIMITED);
		backup.reply("Spare answer");
		HttpResponse<String> answered = chat("claude", true);
		assertThat(answered.statusCode()).isEqualTo(200);
		assertThat(answered.body()).contains("Spare").contains("data: [DONE]");
		assertThat(anthropic.requests()).hasSize(1);
	}

	@Test
	void anUpstreamsRefusalOfTheRequestReachesTheClientAndARefusedUpstreamKeyIsOurs() throws Exception {
		picky.failNext(Failure.CONTEXT_TOO_LONG);
		HttpResponse<String> refused = chat("picky", false);
		assertThat(refused.statusCode()).isEqualTo(400);
		JsonNode error = Json.read(refused.body()).get("error");
		assertThat(error.get("code").asText()).isEqualTo("context_length_exceeded");
		assertThat(error.get("message").asText()).contains("maximum context length");
		// a refusal is not a failure of the deployment: it answers the next request
		assertThat(chat("picky", false).statusCode()).isEqualTo(200);

		HttpResponse<String> ours = chat("guarded", false);
		assertThat(ours.statusCode()).isEqualTo(502);
		assertThat(ours.body()).contains("upstream_auth_failed").doesNotContain("wrong-key");
	}

}
