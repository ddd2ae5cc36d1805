package io.switchboard.api;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.conversation.User;
import io.switchboard.fakes.FakeChatServer.Failure;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.Json;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults stay small: one upstream error does not take a model offline, Retry-After is
 * honoured as sent, a deployment is left out only after failing often and is probed
 * again, broken answers are told as broken, and a key's token and spend budgets hold
 * under concurrency. Each model here has one deployment of its own (the default set-up),
 * so that one test's breaker does not touch another's.
 */
@IntegrationTest
class GatewayResilienceTest extends GatewayTestBase {

	static final FakeOpenAi once = FakeOpenAi.start();

	static final FakeOpenAi limited = FakeOpenAi.start();

	static final FakeOpenAi flaky = FakeOpenAi.start();

	static final FakeOpenAi hanging = FakeOpenAi.start();

	static final FakeOpenAi cutting = FakeOpenAi.start();

	static final FakeOpenAi budget = FakeOpenAi.start();

	static final int CLOSED_PORT = closedPort();

	static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	static void model(DynamicPropertyRegistry registry, String name, String baseUrl) {
		registry.add("switchboard.llm.providers." + name + ".type", () -> "openai");
		registry.add("switchboard.llm.providers." + name + ".base-url", () -> baseUrl);
		registry.add("switchboard.llm.providers." + name + ".read-timeout", () -> "1s");
		registry.add("switchboard.llm.providers." + name + ".connect-timeout", () -> "1s");
		registry.add("switchboard.llm.models." + name + ".provider", () -> name);
	}

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		model(registry, "once", once.baseUrl().toString());
		model(registry, "limited", limited.baseUrl().toString());
		model(registry, "flaky", flaky.baseUrl().toString());
		model(registry, "hanging", hanging.baseUrl().toString());
		model(registry, "cutting", cutting.baseUrl().toString());
		model(registry, "budget", budget.baseUrl().toString());
		registry.add("switchboard.llm.models.budget.input-price", () -> "1000");
		registry.add("switchboard.llm.models.budget.output-price", () -> "1000");
		registry.add("switchboard.llm.models.budget.max-output-tokens", () -> "100");
		model(registry, "nowhere", "http://127.0.0.1:" + CLOSED_PORT + "/v1");
		registry.add("switchboard.api.max-attempts", () -> "3");
		registry.add("switchboard.api.retry-backoff", () -> "50ms");
		registry.add("switchboard.api.breaker.minimum-calls", () -> "4");
		registry.add("switchboard.api.breaker.failure-rate", () -> "50");
		registry.add("switchboard.api.cooldown", () -> "2s");
	}

	@AfterAll
	static void stopFakes() {
		List.of(once, limited, flaky, hanging, cutting, budget).forEach(FakeOpenAi::close);
	}

	User user() {
		return user("resilience");
	}

	HttpResponse<String> chat(String key, String model, boolean stream) throws Exception {
		return chat(key, "{\"model\":\"" + model + "\",\"stream\":" + stream
				+ ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}");
	}

	HttpResponse<String> chat(String key, String body) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + key)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void oneServerErrorIsRetriedAndTheModelStaysUpForEveryone() throws Exception {
		String key = key(user(), ApiKey.Limits.NONE);
		once.failNext(Failure.SERVER_ERROR);
		HttpResponse<String> answered = chat(key, "once", false);
		assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
		assertThat(once.requests()).hasSize(2);
		// another key, at once: the deployment was not shut for everyone
		assertThat(chat(key(user(), ApiKey.Limits.NONE), "once", true).statusCode()).isEqualTo(200);
		assertThat(once.requests()).hasSize(3);
	}

	@Test
	void anUpstreamsRetryAfterIsHonouredAsSentAndPassedOn() throws Exception {
		String key = key(user(), ApiKey.Limits.NONE);
		limited.rateLimitNext(1, 2);
		HttpResponse<String> refused = chat(key, "limited", false);
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
		JsonNode error = Json.read(refused.body()).get("error");
		assertThat(error.get("code").asText()).isEqualTo("rate_limit_exceeded");
		assertThat(error.get("message").asText()).contains("HTTP 429").contains("try again in 2 s");
		// held back as long as asked, without calling the upstream
		HttpResponse<String> held = chat(key, "limited", false);
		assertThat(held.statusCode()).isEqualTo(429);
		assertThat(Long.parseLong(held.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 2L);
		assertThat(limited.requests()).hasSize(1);
		Thread.sleep(2_100);
		assertThat(chat(key, "limited", false).statusCode()).isEqualTo(200);
	}

	@Test
	void aDeploymentIsLeftOutOnlyAfterFailingOftenAndIsProbedAgain() throws Exception {
		String key = key(user(), ApiKey.Limits.NONE);
		// 3 attempts, then 1 more: the failure rate passes 50 % at the minimum of 4 calls
		flaky.failNext(4, Failure.SERVER_ERROR);
		HttpResponse<String> first = chat(key, "flaky", false);
		assertThat(first.statusCode()).isEqualTo(502);
		JsonNode error = Json.read(first.body()).get("error");
		assertThat(error.get("code").asText()).isEqualTo("upstream_error");
		assertThat(error.get("message").asText()).contains("3 attempts").contains("HTTP 500");
		chat(key, "flaky", false);
		int made = flaky.requests().size();
		assertThat(made).isGreaterThanOrEqualTo(4);

		HttpResponse<String> open = chat(key, "flaky", false);
		assertThat(open.statusCode()).isEqualTo(503);
		assertThat(Json.read(open.body()).get("error").get("message").asText()).contains("failed too often");
		assertThat(open.headers().firstValue("Retry-After")).isPresent();
		assertThat(flaky.requests()).hasSize(made);

		// after the cool-down one probe goes through, and its success closes the breaker
		Thread.sleep(2_100);
		assertThat(chat(key, "flaky", false).statusCode()).isEqualTo(200);
		assertThat(chat(key, "flaky", true).statusCode()).isEqualTo(200);
	}

	@Test
	void aHungUpstreamIsRetriedAndThenToldAsATimeout() throws Exception {
		String key = key(user(), ApiKey.Limits.NONE);
		hanging.hangNext();
		assertThat(chat(key, "hanging", false).statusCode()).isEqualTo(200);
		hanging.hangNext().hangNext().hangNext();
		HttpResponse<String> late = chat(key, "hanging", false);
		assertThat(late.statusCode()).isEqualTo(504);
		assertThat(Json.read(late.body()).get("error").get("code").asText()).isEqualTo("upstream_timeout");
	}

	@Test
	void aRefusedConnectionIsToldAsSuch() throws Exception {
		HttpResponse<String> refused = chat(key(user(), ApiKey.Limits.NONE), "nowhere", false);
		assertThat(refused.statusCode()).isEqualTo(502);
		JsonNode error = Json.read(refused.body()).get("error");
		assertThat(error.get("code").asText()).isEqualTo("upstream_unreachable");
		assertThat(error.get("message").asText()).contains("could not be reached");
	}

	@Test
	void aBodyCutHalfWayIsA502NotAHangAndIsRecordedAsAFailure() throws Exception {
		User user = user();
		String key = key(user, ApiKey.Limits.NONE);
		// twice: a retry of the same answer must not hide it either
		cutting.cutNextBodyHalfway();
		long started = System.nanoTime();
		HttpResponse<String> cut = chat(key, "cutting", false);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertThat(cut.statusCode()).isEqualTo(502);
		assertThat(Json.read(cut.body()).get("error").get("code").asText()).isEqualTo("upstream_answer_broken");
		assertThat(callsOf(user, 1)).singleElement().satisfies(call -> assertThat(call.status()).isEqualTo(502));
	}

	@Test
	void aStreamCutOrDroppedEndsWithAnErrorEventAndIsRecordedAsAFailure() throws Exception {
		User user = user();
		String key = key(user, ApiKey.Limits.NONE);
		cutting.replyInPieces("Half", " an", " answer");
		cutting.cutNextStreamAfterFirstPiece();
		HttpResponse<String> cut = chat(key, "cutting", true);
		assertThat(cut.body()).contains("Half").doesNotContain("[DONE]").contains("upstream_stream_broken");
		cutting.dropNextStreamAfterFirstPiece();
		HttpResponse<String> dropped = chat(key, "cutting", true);
		assertThat(dropped.body()).contains("Half").doesNotContain("[DONE]").contains("upstream_stream_broken");
		assertThat(callsOf(user, 2)).extracting(ApiCall::status).containsOnly(502);
		cutting.echo();
	}

	@Test
	void fiftyConcurrentCallsOvershootATokenBudgetByAtMostOneCall() throws Exception {
		User user = user();
		String key = key(user, new ApiKey.Limits(java.util.Set.of(), null, 200L, null));
		// as a real upstream would: the input as counted, the answer within max_tokens
		budget.usage(1, 49).firstByteDelay(Duration.ofMillis(200));
		List<HttpResponse<String>> answers = concurrently(50, () -> chat(key,
				"{\"model\":\"budget\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
		long served = answers.stream().filter(answer -> answer.statusCode() == 200).count();
		assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).isIn(200, 429));
		long tokens = callsOf(user, (int) served).stream()
			.filter(call -> call.status() == 200)
			.mapToLong(call -> call.tokensIn() + call.tokensOut())
			.sum();
		// 200 tokens a day, 50 a call: at most one call beyond the budget
		System.out.printf("token budget: 50 concurrent calls, %d served, %d tokens of 200%n", served, tokens);
		assertThat(tokens).isLessThanOrEqualTo(200 + 50);
		assertThat(served).isBetween(3L, 5L);
		budget.reset();
	}

	@Test
	void fiftyConcurrentCallsOvershootASpendBudgetByAtMostOneCall() throws Exception {
		User user = user();
		// $1000 per million tokens in and out: a call of 50 tokens costs $0.05
		String key = key(user, new ApiKey.Limits(java.util.Set.of(), null, null, 200_000_000L));
		// as a real upstream would: the input as counted, the answer within max_tokens
		budget.usage(1, 49).firstByteDelay(Duration.ofMillis(200));
		List<HttpResponse<String>> answers = concurrently(50, () -> chat(key,
				"{\"model\":\"budget\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
		long served = answers.stream().filter(answer -> answer.statusCode() == 200).count();
		long spent = callsOf(user, (int) served).stream().mapToLong(ApiCall::costNanos).sum();
		System.out.printf("spend budget: 50 concurrent calls, %d served, $%s of $0.20%n", served,
				KeyLimits.dollars(spent));
		assertThat(spent).isLessThanOrEqualTo(200_000_000L + 50_000_000L);
		assertThat(served).isBetween(3L, 5L);
		budget.reset();
	}

	static <T> List<T> concurrently(int count, Callable<T> call) throws Exception {
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				futures.add(threads.submit(call));
			}
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get());
			}
			return results;
		}
	}

}
