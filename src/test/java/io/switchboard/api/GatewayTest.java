package io.switchboard.api;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;

import io.switchboard.conversation.Place;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserState;
import io.switchboard.fakes.FakeAnthropic;
import io.switchboard.fakes.FakeGemini;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.Json;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.WebSession;
import io.switchboard.usage.UsageRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway end to end with the official openai-java client and raw HTTP, against the
 * fake OpenAI and Anthropic servers: pass-through and translation, streaming and not,
 * keys and their limits, accounting, sessions.
 */
@IntegrationTest
class GatewayTest extends GatewayTestBase {

	static final FakeOpenAi openai = FakeOpenAi.start("sk-upstream-secret");

	static final FakeAnthropic anthropic = FakeAnthropic.start("sk-ant-secret");

	static final FakeGemini gemini = FakeGemini.start("gemini-secret");

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		upstreams(registry, openai, anthropic, gemini);
		registry.add("switchboard.llm.models.gpt-test.cached-input-price", () -> "0.5");
		registry.add("switchboard.llm.models.claude-test.vision", () -> "true");
		registry.add("switchboard.api.max-request-size", () -> "16KB");
	}

	@AfterAll
	static void stopFakes() {
		openai.close();
		anthropic.close();
		gemini.close();
	}

	@Autowired
	io.micrometer.core.instrument.MeterRegistry meters;

	@BeforeEach
	void resetFakes() {
		openai.reset();
		anthropic.reset();
		gemini.reset();
	}

	OpenAIClient client(String key) {
		return OpenAIOkHttpClient.builder()
			.apiKey(key)
			.baseUrl("http://127.0.0.1:" + port + "/v1")
			.maxRetries(0)
			.build();
	}

	HttpResponse<String> post(String key, String body, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void theOfficialClientChatsThroughThePassThrough() throws Exception {
		User ann = user("ann");
		OpenAIClient client = client(key(ann, ApiKey.Limits.NONE));

		ChatCompletion completion = client.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder().model("gpt-test").addUserMessage("Hello there").build());

		assertThat(completion.choices().getFirst().message().content()).hasValue("Echo: Hello there");
		JsonNode sent = openai.lastRequestJson();
		assertThat(sent.get("model").asText()).isEqualTo("gpt-4o-mini");
		assertThat(openai.lastRequest().header("Authorization")).isEqualTo("Bearer sk-upstream-secret");
		List<ApiCall> recorded = callsOf(ann, 1);
		assertThat(recorded).singleElement().satisfies(call -> {
			assertThat(call.model()).isEqualTo("gpt-test");
			assertThat(call.upstream()).isEqualTo("openai/gpt-4o-mini");
			assertThat(call.status()).isEqualTo(200);
			assertThat(call.tokensIn()).isEqualTo(completion.usage().get().promptTokens());
			assertThat(call.tokensOut()).isEqualTo(completion.usage().get().completionTokens());
			// $1 and $2 per million tokens
			assertThat(call.costNanos()).isEqualTo(call.tokensIn() * 1000L + call.tokensOut() * 2000L);
			assertThat(call.streamed()).isFalse();
		});
		List<UsageRow> rows = ledger.forUser(ann.id().value(), LocalDate.now(ZoneOffset.UTC).minusDays(1),
				LocalDate.now(ZoneOffset.UTC).plusDays(1));
		assertThat(rows).singleElement().satisfies(row -> {
			assertThat(row.model()).isEqualTo("gpt-test");
			assertThat(row.requests()).isEqualTo(1);
			assertThat(row.costNanos()).isEqualTo(recorded.getFirst().costNanos());
		});
	}

	@Test
	void cachedInputTokensOfApiCallsAreRecordedPricedAndShownOnTheUsagePage() throws Exception {
		User cat = user("cat");
		String key = key(cat, ApiKey.Limits.NONE);
		// the upstream read 80 of 100 prompt tokens from its cache, whole and streamed
		openai.usage(100, 10, 80);
		assertThat(post(key, """
				{"model":"gpt-test","messages":[{"role":"user","content":"Hello cache"}]}""").statusCode())
			.isEqualTo(200);
		HttpResponse<String> streamed = post(key, """
				{"model":"gpt-test","stream":true,"stream_options":{"include_usage":true},
				 "messages":[{"role":"user","content":"Hello again"}]}""");
		assertThat(streamed.statusCode()).isEqualTo(200);
		assertThat(streamed.body()).contains("\"cached_tokens\":80");

		List<ApiCall> recorded = callsOf(cat, 2);
		assertThat(recorded).hasSize(2).allSatisfy(call -> {
			assertThat(call.tokensIn()).isEqualTo(100);
			assertThat(call.tokensCached()).isEqualTo(80);
			// 20 at $1, 80 at $0.50 and 10 at $2 per million tokens
			assertThat(call.costNanos()).isEqualTo(20 * 1000L + 80 * 500L + 10 * 2000L);
		});
		assertThat(recorded.stream().map(ApiCall::streamed)).containsExactlyInAnyOrder(true, false);
		List<UsageRow> rows = ledger.forUser(cat.id().value(), LocalDate.now(ZoneOffset.UTC).minusDays(1),
				LocalDate.now(ZoneOffset.UTC).plusDays(1));
		assertThat(rows).singleElement().satisfies(row -> {
			assertThat(row.tokensIn()).isEqualTo(200);
			assertThat(row.tokensCached()).isEqualTo(160);
			assertThat(row.costNanos()).isEqualTo(2 * 80_000L);
		});

		// an admin's Usage page: cached input per day and model, and what it saved
		WebSession web = new WebSession(port);
		if (web.get("/login").headers().firstValue("Location").orElse("").endsWith("/setup")) {
			web.get("/setup");
			web.postForm("/setup", Map.of("username", "root", "displayName", "Root", "password", "root-password",
					"passwordAgain", "root-password"));
		}
		else {
			web.signIn("root", "root-password");
		}
		String page = web.get("/usage?days=7").body();
		assertThat(page).contains("Cached in").contains("Saved by the cache (USD)");
		// 160 cached tokens at $0.50 less than $1 per million: $0.00008
		assertThat(page).containsPattern(
				"<td>gpt-test</td>\\s*<td>cat</td>\\s*<td>2</td>\\s*<td>200</td>\\s*<td class=\"cached\">160</td>"
						+ "\\s*<td>20</td>\\s*<td class=\"saved\">0\\.00008</td>");
	}

	@Test
	void theOfficialClientStreamsAndGetsUsageWhenItAsks() throws Exception {
		User bea = user("bea");
		OpenAIClient client = client(key(bea, ApiKey.Limits.NONE));
		openai.replyInPieces("One", " two", " three");
		StringBuilder text = new StringBuilder();
		List<ChatCompletionChunk> chunks = new ArrayList<>();
		try (StreamResponse<ChatCompletionChunk> stream = client.chat()
			.completions()
			.createStreaming(ChatCompletionCreateParams.builder()
				.model("gpt-test")
				.addUserMessage("Count")
				.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
				.build())) {
			stream.stream().forEach(chunk -> {
				chunks.add(chunk);
				chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
			});
		}
		assertThat(text).hasToString("One two three");
		assertThat(chunks.getLast().usage()).isPresent();
		assertThat(callsOf(bea, 1)).singleElement().satisfies(call -> {
			assertThat(call.streamed()).isTrue();
			assertThat(call.tokensOut()).isEqualTo(chunks.getLast().usage().get().completionTokens());
		});
	}

	@Test
	void aStreamWithoutTheUsageQuestionIsPassedThroughWithoutTheUsageChunkButCounted() throws Exception {
		User cid = user("cid");
		String key = key(cid, ApiKey.Limits.NONE);
		openai.usage(11, 3);
		HttpResponse<String> response = post(key, """
				{"model":"gpt-test","stream":true,"messages":[{"role":"user","content":"Hi"}],
				 "x_unknown_field":{"kept":[1,2.50,"three"]},"temperature":0.7}""");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
		assertThat(response.body()).contains("\"content\":\"Echo:\"").endsWith("data: [DONE]\n\n");
		assertThat(response.body()).doesNotContain("\"usage\"");
		// the upstream was asked for usage, and got every other field as the client wrote
		// it
		String sent = openai.lastRequest().bodyText();
		assertThat(sent).contains("\"x_unknown_field\":{\"kept\":[1,2.50,\"three\"]}")
			.contains("\"temperature\":0.7")
			.contains("\"model\":\"gpt-4o-mini\"")
			.contains("\"stream_options\":{\"include_usage\":true}");
		assertThat(callsOf(cid, 1)).singleElement().satisfies(call -> {
			assertThat(call.tokensIn()).isEqualTo(11);
			assertThat(call.tokensOut()).isEqualTo(3);
		});
		assertThat(response.headers().firstValue(Gateway.OVERHEAD_HEADER))
			.hasValueSatisfying(value -> assertThat(Double.parseDouble(value)).isGreaterThanOrEqualTo(0));
	}

	@Test
	void anthropicModelsAreTranslatedBothWays() throws Exception {
		User dan = user("dan");
		OpenAIClient client = client(key(dan, ApiKey.Limits.NONE));
		anthropic.replyInPieces("Bonjour", " le", " monde");

		ChatCompletion whole = client.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder()
				.model("claude-test")
				.addSystemMessage("Be French")
				.addUserMessage("Hello")
				.maxCompletionTokens(100)
				.build());
		assertThat(whole.choices().getFirst().message().content()).hasValue("Bonjour le monde");
		assertThat(whole.model()).isEqualTo("claude-test");
		JsonNode sent = anthropic.lastRequestJson();
		assertThat(sent.get("model").asText()).isEqualTo("claude-sonnet-4-5");
		assertThat(anthropic.systemPrompt(sent)).isEqualTo("Be French");
		assertThat(anthropic.maxTokens(sent)).isEqualTo(100);

		StringBuilder text = new StringBuilder();
		List<ChatCompletionChunk> chunks = new ArrayList<>();
		try (StreamResponse<ChatCompletionChunk> stream = client.chat()
			.completions()
			.createStreaming(ChatCompletionCreateParams.builder()
				.model("claude-test")
				.addUserMessage("Hello")
				.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
				.build())) {
			stream.stream().forEach(chunk -> {
				chunks.add(chunk);
				chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
			});
		}
		assertThat(text).hasToString("Bonjour le monde");
		assertThat(chunks.getLast().usage()).isPresent();
		assertThat(callsOf(dan, 2)).hasSize(2).allSatisfy(call -> {
			assertThat(call.upstream()).isEqualTo("anthropic/claude-sonnet-4-5");
			assertThat(call.tokensOut()).isPositive();
		});
	}

	@Test
	void geminiModelsAreTranslatedBothWaysAndCallsShowInPrometheus() throws Exception {
		User gil = user("gil");
		OpenAIClient client = client(key(gil, ApiKey.Limits.NONE));
		gemini.replyInPieces("Ciao", " mondo");
		ChatCompletion whole = client.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder().model("gemini-test").addUserMessage("Hello").build());
		assertThat(whole.choices().getFirst().message().content()).hasValue("Ciao mondo");
		assertThat(gemini.lastRequest().path()).contains("gemini-2.5-flash");
		StringBuilder text = new StringBuilder();
		try (StreamResponse<ChatCompletionChunk> stream = client.chat()
			.completions()
			.createStreaming(ChatCompletionCreateParams.builder().model("gemini-test").addUserMessage("Hi").build())) {
			stream.stream()
				.forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
		}
		assertThat(text).hasToString("Ciao mondo");
		assertThat(callsOf(gil, 2)).hasSize(2);

		// what /actuator/prometheus exports (tests run without the exporter)
		assertThat(meters.find("switchboard.api.requests")
			.tag("model", "gemini-test")
			.timers()
			.stream()
			.mapToLong(io.micrometer.core.instrument.Timer::count)
			.sum()).isEqualTo(2);
		assertThat(meters.find("switchboard.api.tokens").tag("model", "gemini-test").tag("direction", "out").counter())
			.isNotNull();
		assertThat(meters.find("switchboard.api.overhead").summary()).isNotNull();
	}

	@Test
	void modelsAreListedAsTheKeyMaySeeThem() {
		User eve = user("eve");
		assertThat(client(key(eve, ApiKey.Limits.NONE)).models().list().data()).extracting(Model::id)
			.containsExactly("gpt-test", "claude-test", "gemini-test");
		OpenAIClient limited = client(key(eve, new ApiKey.Limits(Set.of("claude-test"), null, null, null)));
		assertThat(limited.models().list().data()).extracting(Model::id).containsExactly("claude-test");
		assertThatThrownBy(() -> limited.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder().model("gpt-test").addUserMessage("Hi").build()))
			.isInstanceOf(PermissionDeniedException.class)
			.hasMessageContaining("may not use the model `gpt-test`");
		assertThat(openai.requests()).isEmpty();
	}

	@Test
	void aRevokedKeyIsRefusedAtOnce() {
		User fay = user("fay");
		ApiKeys.Created created = keys.create(fay, fay.id(), "soon gone", ApiKey.Limits.NONE);
		OpenAIClient client = client(created.secret());
		assertThat(client.models().list().data()).isNotEmpty();
		keys.revoke(fay, created.key().id());
		assertThatThrownBy(() -> client.models().list()).isInstanceOf(UnauthorizedException.class)
			.hasMessageContaining("revoked");
		assertThatThrownBy(() -> client("sk-sb-not-a-real-key-at-all").models().list())
			.isInstanceOf(UnauthorizedException.class)
			.hasMessageContaining("Incorrect API key");
	}

	@Test
	void requestsPerMinuteAreLimitedWithRetryAfter() throws Exception {
		User gus = user("gus");
		String key = key(gus, new ApiKey.Limits(Set.of(), 2, null, null));
		String body = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
		assertThat(post(key, body).statusCode()).isEqualTo(200);
		assertThat(post(key, body).statusCode()).isEqualTo(200);
		HttpResponse<String> limited = post(key, body);
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("Retry-After"))
			.hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
		JsonNode error = Json.read(limited.body().getBytes()).get("error");
		assertThat(error.get("message").asText()).contains("2 requests per minute").contains("resets at");
		assertThat(error.get("code").asText()).isEqualTo("rate_limit_exceeded");
		assertThat(error.has("param")).isTrue();
		assertThat(callsOf(gus, 2)).hasSize(2);
	}

	@Test
	void tokensPerDayAndSpendPerMonthAreLimited() throws Exception {
		User hal = user("hal");
		openai.usage(40, 20);
		String tokenKey = key(hal, new ApiKey.Limits(Set.of(), null, 100L, null));
		String body = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
		assertThat(post(tokenKey, body).statusCode()).isEqualTo(200);
		assertThat(post(tokenKey, body).statusCode()).isEqualTo(200); // 60 then 120
																		// tokens
		HttpResponse<String> limited = post(tokenKey, body);
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.body()).contains("100 tokens per day").contains("resets at");
		assertThat(limited.headers().firstValue("Retry-After")).isPresent();

		// 40 in at $1/M + 20 out at $2/M = 80,000 nanos a call
		String spendKey = key(hal, new ApiKey.Limits(Set.of(), null, null, 100_000L));
		assertThat(post(spendKey, body).statusCode()).isEqualTo(200);
		assertThat(post(spendKey, body).statusCode()).isEqualTo(200);
		HttpResponse<String> broke = post(spendKey, body);
		assertThat(broke.statusCode()).isEqualTo(429);
		assertThat(broke.body()).contains("Spend limit").contains("per month").contains("insufficient_quota");
	}

	@Test
	void tokenAndSpendLimitsCountWhatOtherNodesServed() throws Exception {
		User max = user("max");
		openai.usage(40, 20);
		ApiKey.Limits limits = new ApiKey.Limits(Set.of(), null, 1_000L, 1_000_000L);
		String secret = key(max, limits);
		String body = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
		assertThat(post(secret, body).statusCode()).isEqualTo(200); // 60 tokens here
		long keyId = callsOf(max, 1).getFirst().keyId();

		// another node served this key 950 tokens meanwhile: it wrote them to the shared
		// database, and this node learns of them at its next sync
		calls.insert(List.of(new ApiCall(keyId, max.id().value(), "gpt-test", "openai/gpt-4o-mini", 900, 50, 0, 10, 0,
				200, false, System.currentTimeMillis())));
		assertThat(post(secret, body).statusCode()).isEqualTo(200); // not synced yet: 120
																	// here
		recorder.syncLimits();
		HttpResponse<String> limited = post(secret, body);
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.body()).contains("1000 tokens per day").contains("1070 used");

		// the spend likewise, and nothing is counted twice once this node's own calls
		// are written: a limit of $0.99028, $0.99 spent elsewhere, $0.00008 a call here
		String spender = key(max, new ApiKey.Limits(Set.of(), null, null, 990_280_000L));
		assertThat(post(spender, body).statusCode()).isEqualTo(200);
		recorder.flush();
		long spenderId = calls.recent(max.id().value(), 10)
			.stream()
			.map(ApiCall::keyId)
			.filter(id -> id != keyId)
			.findFirst()
			.orElseThrow();
		calls.insert(List.of(new ApiCall(spenderId, max.id().value(), "gpt-test", "openai/gpt-4o-mini", 0, 0,
				990_000_000L, 10, 0, 200, false, System.currentTimeMillis())));
		recorder.syncLimits(); // $0.99008
		assertThat(post(spender, body).statusCode()).isEqualTo(200); // $0.99016
		assertThat(post(spender, body).statusCode()).isEqualTo(200); // $0.99024
		recorder.flush();
		recorder.syncLimits(); // still $0.99024, not more
		assertThat(post(spender, body).statusCode()).isEqualTo(200); // $0.99032
		HttpResponse<String> broke = post(spender, body);
		assertThat(broke.statusCode()).isEqualTo(429);
		assertThat(broke.body()).contains("Spend limit");
	}

	@Test
	void theOfficialClientSeesOurErrorsAsTheirTypes() {
		User ivy = user("ivy");
		OpenAIClient client = client(key(ivy, new ApiKey.Limits(Set.of(), 1, null, null)));
		assertThatThrownBy(() -> client.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder().model("no-such-model").addUserMessage("Hi").build()))
			.isInstanceOf(NotFoundException.class)
			.hasMessageContaining("no-such-model");
		client.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder().model("gpt-test").addUserMessage("Hi").build());
		assertThatThrownBy(() -> client.chat()
			.completions()
			.create(ChatCompletionCreateParams.builder().model("gpt-test").addUserMessage("Hi").build()))
			.isInstanceOf(RateLimitException.class);
	}

	@Test
	void aSessionHeaderStoresTheExchangeInThatSession() throws Exception {
		User jo = user("jo");
		conversations.setState(jo.id(), UserState.ACTIVE);
		Session session = conversations.createSession(jo.id(), Place.web(), "API notes", false);
		String key = key(jo, ApiKey.Limits.NONE);
		HttpResponse<String> response = post(key,
				"{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"Remember this\"}]}",
				Gateway.SESSION_HEADER, "#" + session.id().value());
		assertThat(response.statusCode()).isEqualTo(200);
		List<StoredMessage> stored = awaitMessages(jo, session, 2);
		assertThat(stored).hasSize(2);
		assertThat(stored.get(0).parts().toString()).contains("Remember this");
		assertThat(stored.get(1).parts().toString()).contains("Echo: Remember this");

		HttpResponse<String> streamed = post(key,
				"{\"model\":\"gpt-test\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"And this\"}]}",
				Gateway.SESSION_HEADER, Long.toString(session.id().value()));
		assertThat(streamed.statusCode()).isEqualTo(200);
		assertThat(awaitMessages(jo, session, 4).get(3).parts().toString()).contains("Echo: And this");

		// a photo sent as a data: URL is kept in the media store, an address is noted
		java.awt.image.BufferedImage picture = new java.awt.image.BufferedImage(3, 2,
				java.awt.image.BufferedImage.TYPE_INT_RGB);
		java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
		javax.imageio.ImageIO.write(picture, "png", png);
		String dataUrl = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png.toByteArray());
		HttpResponse<String> withImage = post(key, """
				{"model":"gpt-test","messages":[{"role":"user","content":[
				  {"type":"text","text":"What is this?"},
				  {"type":"image_url","image_url":{"url":"%s"}},
				  {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]}""".formatted(dataUrl),
				Gateway.SESSION_HEADER, "#" + session.id().value());
		assertThat(withImage.statusCode()).as(withImage.body()).isEqualTo(200);
		List<io.switchboard.conversation.MessagePart> question = awaitMessages(jo, session, 6).get(4).parts();
		assertThat(question).hasSize(3);
		assertThat(question.get(0)).isEqualTo(new io.switchboard.conversation.MessagePart.Text("What is this?"));
		assertThat(question.get(1)).isInstanceOfSatisfying(io.switchboard.conversation.MessagePart.Image.class,
				image -> {
					assertThat(image.mimeType()).isEqualTo("image/png");
					assertThat(image.width()).isEqualTo(3);
					assertThat(image.height()).isEqualTo(2);
				});
		assertThat(question.get(2).toString()).contains("https://example.com/cat.jpg");

		// someone else's private session is not there for this key
		User kim = user("kim");
		HttpResponse<String> refused = post(key(kim, ApiKey.Limits.NONE),
				"{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"Peek\"}]}",
				Gateway.SESSION_HEADER, "#" + session.id().value());
		assertThat(refused.statusCode()).isEqualTo(404);
		assertThat(refused.body()).contains("session_not_found");
		assertThat(callsOf(kim, 0)).isEmpty();
	}

	List<StoredMessage> awaitMessages(User viewer, Session session, int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		List<StoredMessage> messages = List.of();
		while (System.nanoTime() < deadline) {
			messages = conversations.recentMessages(viewer.id(), session.id(), 50);
			if (messages.size() >= count) {
				return messages;
			}
			Thread.sleep(20);
		}
		return messages;
	}

	// ------------------------------------------------------------- bad input

	HttpResponse<String> send(String key, String contentType, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		if (key != null) {
			request.header("Authorization", "Bearer " + key);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** Asserts OpenAI's error shape and returns the inner error. */
	static JsonNode openAiError(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
		JsonNode error = Json.read(response.body()).get("error");
		assertThat(error).isNotNull();
		assertThat(error.get("message").asText()).isNotBlank();
		assertThat(error.has("type")).isTrue();
		assertThat(error.has("param")).isTrue();
		assertThat(error.has("code")).isTrue();
		return error;
	}

	@Test
	void badInputIsRefusedInOpenAisFormatAndNothingIsRecorded() throws Exception {
		User lou = user("lou");
		ApiKeys.Created created = keys.create(lou, lou.id(), "bad input", ApiKey.Limits.NONE);
		String key = created.secret();
		String good = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

		assertThat(
				openAiError(send(key, "application/json", "{\"model\":\"gpt-test\",\"messages\":["), 400).get("message")
					.asText())
			.contains("could not parse the JSON body");
		openAiError(send(key, "application/json", "[1,2]"), 400);
		openAiError(send(key, "application/json", good + " trailing"), 400);
		openAiError(send(key, "application/json", ""), 400);
		assertThat(openAiError(send(key, "text/plain", good), 415).get("code").asText())
			.isEqualTo("unsupported_media_type");
		openAiError(send(key, null, good), 415);
		String huge = "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(20_000)
				+ "\"}]}";
		assertThat(openAiError(send(key, "application/json", huge), 413).get("code").asText())
			.isEqualTo("request_too_large");
		assertThat(openAiError(send(key, "application/json", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"),
				400)
			.get("message")
			.asText()).contains("you must provide a model parameter");
		assertThat(
				openAiError(send(key, "application/json", "{\"model\":42,\"messages\":[]}"), 400).get("param").asText())
			.isEqualTo("model");
		JsonNode unknown = openAiError(send(key, "application/json",
				"{\"model\":\"gpt-99\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"), 404);
		assertThat(unknown.get("code").asText()).isEqualTo("model_not_found");
		assertThat(openAiError(send(key, "application/json", "{\"model\":\"gpt-test\"}"), 400).get("param").asText())
			.isEqualTo("messages");
		assertThat(openAiError(send(key, "application/json", "{\"model\":\"gpt-test\",\"messages\":\"Hi\"}"), 400)
			.get("message")
			.asText()).contains("expected an array");
		openAiError(send(key, "application/json", "{\"model\":\"gpt-test\",\"messages\":[]}"), 400);
		openAiError(send(key, "application/json", "{\"model\":\"gpt-test\",\"messages\":[\"Hi\"]}"), 400);
		assertThat(
				openAiError(
						send(key, "application/json",
								"{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"wizard\",\"content\":\"Hi\"}]}"),
						400)
					.get("param")
					.asText())
			.isEqualTo("messages[0].role");
		assertThat(openAiError(send(key, "application/json",
				"{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":7}]}"), 400)
			.get("param")
			.asText()).isEqualTo("messages[0].content");
		openAiError(send(key, "application/json", "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\"}]}"), 400);
		openAiError(send(key, "application/json",
				"{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"no type\"}]}]}"),
				400);
		openAiError(send(key, "application/json",
				"{\"model\":\"gpt-test\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"),
				400);
		// no key, a wrong key, a revoked key
		assertThat(openAiError(send(null, "application/json", good), 401).get("message").asText())
			.contains("didn't provide an API key");
		openAiError(send("sk-sb-wrong", "application/json", good), 401);
		keys.revoke(lou, created.key().id());
		assertThat(openAiError(send(key, "application/json", good), 401).get("message").asText()).contains("revoked");
		// an unknown path and a wrong method are OpenAI-shaped too
		assertThat(http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/nothing"))
				.header("Authorization", "Bearer " + key(lou, ApiKey.Limits.NONE))
				.build(), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(404);

		assertThat(openai.requests()).isEmpty();
		assertThat(callsOf(lou, 0)).isEmpty();
		assertThat(ledger.forUser(lou.id().value(), LocalDate.now(ZoneOffset.UTC).minusDays(1),
				LocalDate.now(ZoneOffset.UTC).plusDays(1)))
			.isEmpty();
	}

	static final String WEATHER_TOOLS = """
			"tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now",
			"parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""";

	@Test
	void toolsWorkOnTranslatedModelsAsOpenAiClientsExpect() throws Exception {
		String key = key(user("tina"), ApiKey.Limits.NONE);
		anthropic.callToolNext("get_weather", "{\"city\":\"Oslo\"}");

		HttpResponse<String> asked = post(key, """
				{"model":"claude-test","messages":[{"role":"user","content":"Weather in Oslo?"}],%s}"""
			.formatted(WEATHER_TOOLS));

		assertThat(asked.statusCode()).isEqualTo(200);
		JsonNode choice = new com.fasterxml.jackson.databind.ObjectMapper().readTree(asked.body())
			.path("choices")
			.path(0);
		assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
		JsonNode call = choice.path("message").path("tool_calls").path(0);
		assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
		assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
			.readTree(call.path("function").path("arguments").asText()))
			.isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"city\":\"Oslo\"}"));
		assertThat(anthropic.toolNames(anthropic.lastRequestJson())).containsExactly("get_weather");

		// the client runs the tool and sends its result back
		anthropic.reply("Cold, -5 C.");
		HttpResponse<String> answered = post(key, """
				{"model":"claude-test","messages":[{"role":"user","content":"Weather in Oslo?"},
				{"role":"assistant","content":null,"tool_calls":[{"id":"%s","type":"function",
				"function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
				{"role":"tool","tool_call_id":"%s","content":"-5 C, snow"}],%s}""".formatted(call.path("id").asText(),
				call.path("id").asText(), WEATHER_TOOLS));
		assertThat(answered.statusCode()).isEqualTo(200);
		assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(answered.body())
			.path("choices")
			.path(0)
			.path("message")
			.path("content")
			.asText()).isEqualTo("Cold, -5 C.");
		assertThat(anthropic.toolResults(anthropic.lastRequestJson())).singleElement()
			.satisfies(result -> assertThat(result.text()).isEqualTo("-5 C, snow"));
	}

	@Test
	void streamedToolCallsComeAsOpenAiToolCallDeltas() throws Exception {
		String key = key(user("uma"), ApiKey.Limits.NONE);
		gemini.callToolNext("get_weather", "{\"city\":\"Rome\"}");

		HttpResponse<String> streamed = post(key, """
				{"model":"gemini-test","stream":true,"messages":[{"role":"user","content":"Weather in Rome?"}],%s}"""
			.formatted(WEATHER_TOOLS));

		assertThat(streamed.statusCode()).isEqualTo(200);
		List<JsonNode> chunks = new ArrayList<>();
		for (String line : streamed.body().split("\n")) {
			if (line.startsWith("data: {")) {
				chunks.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line.substring(6)));
			}
		}
		JsonNode delta = chunks.stream()
			.map(chunk -> chunk.path("choices").path(0).path("delta").path("tool_calls"))
			.filter(JsonNode::isArray)
			.findFirst()
			.orElseThrow();
		assertThat(delta.path(0).path("index").asInt()).isZero();
		assertThat(delta.path(0).path("id").asText()).isNotBlank();
		assertThat(delta.path(0).path("function").path("name").asText()).isEqualTo("get_weather");
		assertThat(chunks.getLast().path("choices").path(0).path("finish_reason").asText()).isEqualTo("tool_calls");
		assertThat(gemini.toolNames(gemini.lastRequestJson())).containsExactly("get_weather");
	}

	@Test
	void aToolChoiceThatForcesAToolIsRefusedForTranslatedModels() throws Exception {
		String key = key(user("vic"), ApiKey.Limits.NONE);

		HttpResponse<String> refused = post(key, """
				{"model":"claude-test","tool_choice":"required","messages":[{"role":"user","content":"Hi"}],%s}"""
			.formatted(WEATHER_TOOLS));
		HttpResponse<String> orphan = post(key, """
				{"model":"claude-test","messages":[{"role":"user","content":"Hi"},
				{"role":"tool","tool_call_id":"call_x","content":"?"}]}""");

		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("tool_choice");
		assertThat(orphan.statusCode()).isEqualTo(400);
		assertThat(orphan.body()).contains("call_x");
		assertThat(anthropic.requests()).isEmpty();
	}

}
