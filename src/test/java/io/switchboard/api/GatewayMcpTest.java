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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.switchboard.conversation.User;
import io.switchboard.fakes.FakeAnthropic;
import io.switchboard.fakes.FakeChatServer;
import io.switchboard.fakes.FakeGemini;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.McpTestServer;
import io.switchboard.usage.UsageRow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The server's MCP servers through {@code /v1/chat/completions}, asked for as OpenAI's
 * remote MCP tools ({@code {"type":"mcp","server_label":...}}): a real MCP server of the
 * official SDK over Streamable HTTP, and the fake OpenAI, Anthropic and Gemini servers
 * each calling its tools in its own format, streamed and not.
 */
@IntegrationTest
class GatewayMcpTest extends GatewayTestBase {

	static final FakeOpenAi openai = FakeOpenAi.start("sk-upstream-secret");

	static final FakeAnthropic anthropic = FakeAnthropic.start("sk-ant-secret");

	static final FakeGemini gemini = FakeGemini.start("gemini-secret");

	static final McpTestServer mcp = McpTestServer.startHttp("mcp-key-456");

	static final ObjectMapper json = new ObjectMapper();

	static final String WEB = "{\"type\":\"mcp\",\"server_label\":\"web\"}";

	static final String WEATHER = """
			{"type":"function","function":{"name":"get_weather","description":"Weather now",
			"parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}""";

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		upstreams(registry, openai, anthropic, gemini);
		// no price: its calls cost nothing, yet spent rounds are still usage
		registry.add("switchboard.llm.models.free-test.provider", () -> "openai");
		registry.add("switchboard.llm.models.free-test.upstream-model", () -> "gpt-4o-mini");
		registry.add("switchboard.tools.mcp.web.url", mcp::url);
		registry.add("switchboard.tools.mcp.web.headers.X-Api-Key", () -> "mcp-key-456");
		// the admin's own server: never connected for a user (nothing listens there)
		registry.add("switchboard.tools.mcp.admin.url", () -> "http://127.0.0.1:9/mcp");
		registry.add("switchboard.tools.mcp.admin.users", () -> "false");
		registry.add("switchboard.tools.tool-timeout", () -> "20s");
	}

	@AfterAll
	static void stopFakes() {
		openai.close();
		anthropic.close();
		gemini.close();
		mcp.close();
	}

	@BeforeEach
	void resetFakes() {
		openai.reset();
		anthropic.reset();
		gemini.reset();
	}

	HttpResponse<String> post(String key, String body) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + key)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	static String ask(String model, boolean stream, String question, String... tools) {
		return """
				{"model":"%s","stream":%s,"messages":[{"role":"user","content":"%s"}],"tools":[%s]}""".formatted(model,
				stream, question, String.join(",", tools));
	}

	static List<JsonNode> chunks(String body) throws Exception {
		List<JsonNode> chunks = new ArrayList<>();
		for (String line : body.split("\n")) {
			if (line.startsWith("data: {")) {
				chunks.add(json.readTree(line.substring(6)));
			}
		}
		return chunks;
	}

	static String content(List<JsonNode> chunks) {
		StringBuilder text = new StringBuilder();
		chunks.forEach(chunk -> text.append(chunk.path("choices").path(0).path("delta").path("content").asText("")));
		return text.toString();
	}

	@Test
	void eachProvidersModelUsesTheMcpServersToolAndTheClientGetsTheFinalAnswer() throws Exception {
		User user = user("mia");
		String key = key(user, ApiKey.Limits.NONE);
		Map<String, FakeChatServer> fakes = Map.of("gpt-test", openai, "claude-test", anthropic, "gemini-test", gemini);
		for (var model : List.of("gpt-test", "claude-test", "gemini-test")) {
			FakeChatServer fake = fakes.get(model);
			fake.callToolNext("web__secret_word", "{}").reply("The word is " + McpTestServer.SECRET_WORD + ".");

			HttpResponse<String> answered = post(key, ask(model, false, "What is the secret word?", WEB));

			assertThat(answered.statusCode()).as(model + ": " + answered.body()).isEqualTo(200);
			JsonNode completion = json.readTree(answered.body());
			JsonNode choice = completion.path("choices").path(0);
			assertThat(choice.path("message").path("content").asText()).contains(McpTestServer.SECRET_WORD);
			assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
			assertThat(choice.path("message").has("tool_calls")).isFalse();
			JsonNode call = completion.path("mcp_calls").path(0);
			assertThat(call.path("type").asText()).isEqualTo("mcp_call");
			assertThat(call.path("server_label").asText()).isEqualTo("web");
			assertThat(call.path("name").asText()).isEqualTo("secret_word");
			assertThat(call.path("output").asText()).isEqualTo(McpTestServer.SECRET_WORD);
			assertThat(call.path("error").isNull()).isTrue();
			// the model was offered the server's tools, but not the one that needs a
			// confirmation, and had the tool's result
			JsonNode last = fake.lastRequestJson();
			assertThat(fake.toolNames(last)).as(model)
				.contains("web__secret_word", "web__add", "web__fail")
				.doesNotContain("web__write_note");
			// (Gemini's fake reads the result as the adapter wraps it: {"response": ...})
			assertThat(fake.toolResults(last)).singleElement()
				.satisfies(result -> assertThat(result.text()).contains(McpTestServer.SECRET_WORD));
		}
	}

	@Test
	void everyRoundIsMeteredInTheKeyOwnersLedger() throws Exception {
		User user = user("ned");
		String key = key(user, ApiKey.Limits.NONE);
		openai.usage(100, 10).callToolNext("web__add", "{\"a\":2,\"b\":40}").reply("42.");

		assertThat(post(key, ask("gpt-test", false, "2 + 40?", WEB)).statusCode()).isEqualTo(200);

		assertThat(callsOf(user, 1)).singleElement().satisfies(call -> {
			assertThat(call.model()).isEqualTo("gpt-test");
			assertThat(call.status()).isEqualTo(200);
			// two rounds: the one that called the tool and the one that answered
			assertThat(call.tokensIn()).isEqualTo(200);
			assertThat(call.tokensOut()).isEqualTo(20);
		});
		List<UsageRow> rows = ledger.forUser(user.id().value(), LocalDate.now(ZoneOffset.UTC).minusDays(1),
				LocalDate.now(ZoneOffset.UTC).plusDays(1));
		assertThat(rows).singleElement().satisfies(row -> {
			assertThat(row.tokensIn()).isEqualTo(200);
			assertThat(row.tokensOut()).isEqualTo(20);
			assertThat(row.costNanos()).isPositive();
		});
	}

	@Test
	void aRoundThatFailsAfterAToolRanIsNotTriedAgainAndTheRoundsBeforeAreCharged() throws Exception {
		User user = user("nia");
		String key = key(user, ApiKey.Limits.NONE);
		openai.usage(100, 10)
			.callToolNext("web__add", "{\"a\":2,\"b\":40}")
			.failTheOneAfterNext(FakeChatServer.Failure.SERVER_ERROR);

		HttpResponse<String> failed = post(key, ask("gpt-test", false, "2 + 40?", WEB));

		assertThat(failed.statusCode()).isEqualTo(502);
		JsonNode error = json.readTree(failed.body()).path("error");
		assertThat(error.path("code").asText()).isEqualTo("upstream_error");
		assertThat(error.path("message").asText()).contains("after MCP tools ran");
		assertThat(openai.requests()).hasSize(2);
		assertThat(callsOf(user, 1)).singleElement().satisfies(call -> {
			assertThat(call.status()).isEqualTo(502);
			assertThat(call.tokensIn()).isEqualTo(100);
			assertThat(call.costNanos()).isPositive();
		});
		assertThat(ledger.forUser(user.id().value(), LocalDate.now(ZoneOffset.UTC).minusDays(1),
				LocalDate.now(ZoneOffset.UTC).plusDays(1)))
			.singleElement()
			.satisfies(row -> assertThat(row.tokensIn()).isEqualTo(100));
	}

	@Test
	void onAFreeModelTheSpentRoundsOfAFailedToolLoopAreStillUsageAndOtherFailuresAreNot() throws Exception {
		User user = user("noa");
		// room for the failed loop's 110 tokens once, not twice
		String key = key(user, new ApiKey.Limits(Set.of(), null, 200L, null));
		// refused before any model call: not even recorded
		assertThat(post(key, ask("free-test", false, "Hi", "{\"type\":\"mcp\",\"server_label\":\"nowhere\"}"))
			.statusCode()).isEqualTo(400);
		// refused by the upstream in the first round: recorded, nothing spent
		openai.failNext(FakeChatServer.Failure.CONTEXT_TOO_LONG);
		assertThat(post(key, ask("free-test", false, "Hi", WEB)).statusCode()).isEqualTo(400);
		openai.usage(100, 10)
			.callToolNext("web__add", "{\"a\":2,\"b\":40}")
			.failTheOneAfterNext(FakeChatServer.Failure.SERVER_ERROR);

		assertThat(post(key, ask("free-test", false, "2 + 40?", WEB)).statusCode()).isEqualTo(502);

		assertThat(callsOf(user, 2)).hasSize(2)
			.extracting(ApiCall::status, ApiCall::tokensIn, ApiCall::tokensOut, ApiCall::costNanos)
			.containsExactly(tuple(502, 100, 10, 0L), tuple(400, 0, 0, 0L));
		// one request: the spent rounds, free as they were
		assertThat(ledger.forUser(user.id().value(), LocalDate.now(ZoneOffset.UTC).minusDays(1),
				LocalDate.now(ZoneOffset.UTC).plusDays(1)))
			.singleElement()
			.satisfies(row -> {
				assertThat(row.model()).isEqualTo("free-test");
				assertThat(row.requests()).isEqualTo(1);
				assertThat(row.tokensIn()).isEqualTo(100);
				assertThat(row.tokensOut()).isEqualTo(10);
				assertThat(row.costNanos()).isZero();
			});
		// the key's day holds the 110 tokens once, as written, and has room left
		recorder.syncLimits();
		openai.reply("Hello.");
		assertThat(post(key, ask("free-test", false, "Hi")).statusCode()).isEqualTo(200);
	}

	@Test
	void aStreamedAnswerCarriesEachMcpCallAsAChunkAndThenTheAnswer() throws Exception {
		String key = key(user("ola"), ApiKey.Limits.NONE);
		anthropic.callToolNext("web__add", "{\"a\":2,\"b\":40}").replyInPieces("The sum ", "is 42.");

		HttpResponse<String> streamed = post(key, ask("claude-test", true, "2 + 40?", WEB));

		assertThat(streamed.statusCode()).isEqualTo(200);
		assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
		List<JsonNode> chunks = chunks(streamed.body());
		JsonNode step = chunks.stream()
			.filter(chunk -> chunk.has("mcp_call"))
			.findFirst()
			.orElseThrow()
			.path("mcp_call");
		assertThat(step.path("server_label").asText()).isEqualTo("web");
		assertThat(step.path("name").asText()).isEqualTo("add");
		assertThat(json.readTree(step.path("arguments").asText())).isEqualTo(json.readTree("{\"a\":2,\"b\":40}"));
		assertThat(step.path("output").asText()).isEqualTo("42");
		assertThat(content(chunks)).isEqualTo("The sum is 42.");
		assertThat(chunks.getLast().path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
	}

	@Test
	void theOfficialOpenAiClientStreamsAnAnswerThatUsedAnMcpTool() {
		String key = key(user("pia"), ApiKey.Limits.NONE);
		gemini.callToolNext("web__secret_word", "{}").reply("It is " + McpTestServer.SECRET_WORD + ".");
		OpenAIClient client = OpenAIOkHttpClient.builder()
			.apiKey(key)
			.baseUrl("http://127.0.0.1:" + port + "/v1")
			.maxRetries(0)
			.build();
		ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
			.model("gemini-test")
			.addUserMessage("What is the secret word?")
			.putAdditionalBodyProperty("tools",
					JsonValue.from(List.of(Map.of("type", "mcp", "server_label", "web", "allowed_tools",
							List.of("secret_word"), "require_approval", "never"))))
			.build();

		StringBuilder text = new StringBuilder();
		try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
			stream.stream()
				.flatMap(chunk -> chunk.choices().stream())
				.forEach(choice -> choice.delta().content().ifPresent(text::append));
		}

		assertThat(text.toString()).isEqualTo("It is " + McpTestServer.SECRET_WORD + ".");
		// allowed_tools: that tool alone was offered
		assertThat(gemini.toolNames(gemini.requests().getFirst().json())).containsExactly("web__secret_word");
	}

	@Test
	void aToolThatFailsIsToldToTheModelAndShownAsTheCallsError() throws Exception {
		String key = key(user("quin"), ApiKey.Limits.NONE);
		openai.callToolNext("web__fail", "{}").reply("The tool failed.");

		HttpResponse<String> answered = post(key, ask("gpt-test", false, "Try it.", WEB));

		assertThat(answered.statusCode()).isEqualTo(200);
		JsonNode completion = json.readTree(answered.body());
		assertThat(completion.path("choices").path(0).path("message").path("content").asText())
			.isEqualTo("The tool failed.");
		JsonNode call = completion.path("mcp_calls").path(0);
		assertThat(call.path("name").asText()).isEqualTo("fail");
		assertThat(call.path("output").isNull()).isTrue();
		assertThat(call.path("error").asText()).contains("out of ink");
		assertThat(openai.toolResults(openai.lastRequestJson())).singleElement()
			.satisfies(result -> assertThat(result.text()).contains("out of ink"));
	}

	@Test
	void theClientsOwnFunctionComesBackToItAfterTheServersToolRan() throws Exception {
		String key = key(user("rex"), ApiKey.Limits.NONE);
		openai.callToolNext("web__add", "{\"a\":1,\"b\":2}").callToolNext("get_weather", "{\"city\":\"Oslo\"}");

		HttpResponse<String> answered = post(key, ask("gpt-test", false, "Add, then the weather.", WEB, WEATHER));

		assertThat(answered.statusCode()).isEqualTo(200);
		JsonNode completion = json.readTree(answered.body());
		JsonNode choice = completion.path("choices").path(0);
		assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
		JsonNode call = choice.path("message").path("tool_calls").path(0);
		assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
		assertThat(json.readTree(call.path("function").path("arguments").asText()))
			.isEqualTo(json.readTree("{\"city\":\"Oslo\"}"));
		assertThat(completion.path("mcp_calls").path(0).path("output").asText()).isEqualTo("3");
		assertThat(openai.toolNames(openai.lastRequestJson())).contains("web__add", "get_weather");
		assertThat(openai.requests()).hasSize(2);
	}

	@Test
	void aStreamedAnswerHandsTheClientsFunctionCallBackAsToolCallDeltas() throws Exception {
		String key = key(user("sal"), ApiKey.Limits.NONE);
		anthropic.callToolNext("web__secret_word", "{}").callToolNext("get_weather", "{\"city\":\"Rome\"}");

		HttpResponse<String> streamed = post(key, ask("claude-test", true, "Word, then weather.", WEB, WEATHER));

		assertThat(streamed.statusCode()).isEqualTo(200);
		List<JsonNode> chunks = chunks(streamed.body());
		assertThat(chunks.stream().filter(chunk -> chunk.has("mcp_call"))).hasSize(1);
		JsonNode delta = chunks.stream()
			.map(chunk -> chunk.path("choices").path(0).path("delta").path("tool_calls"))
			.filter(JsonNode::isArray)
			.findFirst()
			.orElseThrow();
		assertThat(delta.path(0).path("function").path("name").asText()).isEqualTo("get_weather");
		assertThat(chunks.getLast().path("choices").path(0).path("finish_reason").asText()).isEqualTo("tool_calls");
	}

	@Test
	void anUnknownServerIsA400NamingItAndNothingGoesToTheModel() throws Exception {
		User user = user("tom");
		String key = key(user, ApiKey.Limits.NONE);

		HttpResponse<String> refused = post(key,
				ask("gpt-test", false, "Hi", "{\"type\":\"mcp\",\"server_label\":\"nowhere\"}"));

		assertThat(refused.statusCode()).isEqualTo(400);
		JsonNode error = json.readTree(refused.body()).path("error");
		assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
		assertThat(error.path("code").asText()).isEqualTo("mcp_server_not_found");
		assertThat(error.path("param").asText()).isEqualTo("tools[0].server_label");
		assertThat(error.path("message").asText()).contains("`nowhere`", "you may use: web");
		assertThat(openai.requests()).isEmpty();
	}

	@Test
	void aServerTheAdminKeptForThemselvesIsA400AndNothingGoesToTheModel() throws Exception {
		String key = key(user("uli"), ApiKey.Limits.NONE);

		HttpResponse<String> refused = post(key,
				ask("claude-test", true, "Hi", WEB, "{\"type\":\"mcp\",\"server_label\":\"admin\"}"));

		assertThat(refused.statusCode()).isEqualTo(400);
		JsonNode error = json.readTree(refused.body()).path("error");
		assertThat(error.path("code").asText()).isEqualTo("mcp_server_not_allowed");
		assertThat(error.path("param").asText()).isEqualTo("tools[1].server_label");
		assertThat(error.path("message").asText()).contains("`admin`");
		assertThat(anthropic.requests()).isEmpty();
	}

	@Test
	void whatCannotBeHonouredIsA400BeforeAnyModelCall() throws Exception {
		String key = key(user("val"), ApiKey.Limits.NONE);
		Map<String, String> refusals = Map.of(
				// a tool that needs a user's confirmation, which /v1 cannot ask for
				"{\"type\":\"mcp\",\"server_label\":\"web\",\"allowed_tools\":[\"write_note\"]}",
				"mcp_tool_needs_confirmation",
				"{\"type\":\"mcp\",\"server_label\":\"web\",\"allowed_tools\":[\"divide\"]}", "mcp_tool_not_found",
				"{\"type\":\"mcp\",\"server_label\":\"web\",\"require_approval\":\"always\"}", "unsupported_value",
				"{\"type\":\"mcp\",\"server_label\":\"web\",\"server_url\":\"https://example.com/mcp\"}",
				"unsupported_parameter", "{\"type\":\"mcp\"}", "missing_required_parameter");
		for (var refusal : refusals.entrySet()) {
			HttpResponse<String> refused = post(key, ask("gemini-test", false, "Hi", refusal.getKey()));

			assertThat(refused.statusCode()).as(refusal.getKey()).isEqualTo(400);
			assertThat(json.readTree(refused.body()).path("error").path("code").asText()).as(refusal.getKey())
				.isEqualTo(refusal.getValue());
		}
		assertThat(gemini.requests()).isEmpty();
	}

}
