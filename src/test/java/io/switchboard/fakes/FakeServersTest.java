package io.switchboard.fakes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.fakes.FakeHttpServer.Reply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fakes' own wire format, where the adapter tests do not reach: what other tests rely
 * on when they use the fakes directly.
 */
class FakeServersTest {

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private HttpResponse<String> post(URI uri, String json, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(json));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(URI uri, String... headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
		if (headers.length > 0) {
			request.headers(headers);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static List<String> dataLines(String body) {
		return Arrays.stream(body.split("\r?\n")).filter(line -> line.startsWith("data: ")).toList();
	}

	@Test
	void baseServerRecordsRequestsAndAnswersScriptedRepliesFirst() throws Exception {
		try (FakeHttpServer server = new FakeHttpServer()) {
			server.enqueue(Reply.json(201, "{\"ok\":true}"));

			HttpResponse<String> scripted = post(URI.create(server.uri() + "/things?a=1&b=x%20y"), "{\"n\":1}",
					"X-Test", "yes");
			HttpResponse<String> unscripted = get(URI.create(server.uri() + "/nothing"));

			assertThat(scripted.statusCode()).isEqualTo(201);
			assertThat(unscripted.statusCode()).isEqualTo(404);
			FakeHttpServer.RecordedRequest first = server.requests().getFirst();
			assertThat(first.method()).isEqualTo("POST");
			assertThat(first.path()).isEqualTo("/things");
			assertThat(first.queryParam("b")).isEqualTo("x y");
			assertThat(first.header("x-test")).isEqualTo("yes");
			assertThat(first.json().path("n").asInt()).isEqualTo(1);
			assertThat(server.finishedReplies()).isEqualTo(2);
		}
	}

	@Test
	void openAiSendsTheUsageChunkOnlyWhenAskedFor() throws Exception {
		try (FakeOpenAi openAi = FakeOpenAi.start("sk-fake")) {
			openAi.replyInPieces("Hi", " there").usage(3, 2);
			String ask = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hey\"}]";

			List<String> plain = dataLines(post(URI.create(openAi.baseUrl() + "/chat/completions"), ask + "}",
					"Authorization", "Bearer sk-fake")
				.body());
			List<String> withUsage = dataLines(post(URI.create(openAi.baseUrl() + "/chat/completions"),
					ask + ",\"stream_options\":{\"include_usage\":true}}", "Authorization", "Bearer sk-fake")
				.body());

			// role, two pieces, finish, [DONE]
			assertThat(plain).hasSize(5).last().isEqualTo("data: [DONE]");
			assertThat(plain).noneMatch(line -> line.contains("\"usage\""));
			JsonNode role = Json.read(plain.get(0).substring(6));
			assertThat(role.path("object").asText()).isEqualTo("chat.completion.chunk");
			assertThat(role.path("choices").path(0).path("delta").path("role").asText()).isEqualTo("assistant");
			assertThat(Json.read(plain.get(3).substring(6)).path("choices").path(0).path("finish_reason").asText())
				.isEqualTo("stop");
			JsonNode usage = Json.read(withUsage.get(withUsage.size() - 2).substring(6));
			assertThat(usage.path("choices").isEmpty()).isTrue();
			assertThat(usage.path("usage").path("total_tokens").asInt()).isEqualTo(5);
		}
	}

	@Test
	void openAiListsModelsAndWantsTheKey() throws Exception {
		try (FakeOpenAi openAi = FakeOpenAi.start("sk-fake").models("m1", "m2")) {
			HttpResponse<String> models = get(URI.create(openAi.baseUrl() + "/models"), "Authorization",
					"Bearer sk-fake");
			HttpResponse<String> refused = get(URI.create(openAi.baseUrl() + "/models"));

			assertThat(Json.read(models.body()).path("data").findValuesAsText("id")).containsExactly("m1", "m2");
			assertThat(refused.statusCode()).isEqualTo(401);
			assertThat(Json.read(refused.body()).path("error").path("code").asText()).isEqualTo("invalid_api_key");
		}
	}

	@Test
	void anthropicStreamsTheRealEventSequence() throws Exception {
		try (FakeAnthropic anthropic = FakeAnthropic.start("ak-fake")) {
			anthropic.replyInPieces("Hel", "lo").usage(9, 2);

			String body = post(URI.create(anthropic.baseUrl() + "messages"),
					"{\"model\":\"claude\",\"max_tokens\":50,\"stream\":true,"
							+ "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
					"x-api-key", "ak-fake", "anthropic-version", "2023-06-01")
				.body();

			List<String> events = Arrays.stream(body.split("\n"))
				.filter(line -> line.startsWith("event: "))
				.map(line -> line.substring(7))
				.toList();
			assertThat(events).containsExactly("message_start", "content_block_start", "ping", "content_block_delta",
					"content_block_delta", "content_block_stop", "message_delta", "message_stop");
			List<String> data = dataLines(body);
			assertThat(Json.read(data.get(0).substring(6)).path("message").path("usage").path("input_tokens").asInt())
				.isEqualTo(9);
			assertThat(Json.read(data.get(3).substring(6)).path("delta").path("type").asText()).isEqualTo("text_delta");
			JsonNode messageDelta = Json.read(data.get(6).substring(6));
			assertThat(messageDelta.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");
			assertThat(messageDelta.path("usage").path("output_tokens").asInt()).isEqualTo(2);
		}
	}

	@Test
	void anthropicRejectsAConversationStartingWithTheAssistant() throws Exception {
		try (FakeAnthropic anthropic = FakeAnthropic.start("ak-fake")) {
			HttpResponse<String> refused = post(URI.create(anthropic.baseUrl() + "messages"),
					"{\"model\":\"claude\",\"max_tokens\":50,"
							+ "\"messages\":[{\"role\":\"assistant\",\"content\":\"Hi\"}]}",
					"x-api-key", "ak-fake", "anthropic-version", "2023-06-01");

			assertThat(refused.statusCode()).isEqualTo(400);
			JsonNode error = Json.read(refused.body());
			assertThat(error.path("type").asText()).isEqualTo("error");
			assertThat(error.path("error").path("type").asText()).isEqualTo("invalid_request_error");
		}
	}

	@Test
	void geminiTakesTheKeyFromTheQueryToo() throws Exception {
		try (FakeGemini gemini = FakeGemini.start("gk-fake")) {
			gemini.reply("Hi!").usage(4, 1);

			HttpResponse<String> answer = post(
					URI.create(gemini.baseUrl() + "/models/gemini-2.5-flash:generateContent?key=gk-fake"),
					"{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hello\"}]}]}");
			HttpResponse<String> models = get(URI.create(gemini.baseUrl() + "/models"), "x-goog-api-key", "gk-fake");

			JsonNode json = Json.read(answer.body());
			assertThat(json.path("candidates").path(0).path("content").path("parts").path(0).path("text").asText())
				.isEqualTo("Hi!");
			assertThat(json.path("candidates").path(0).path("finishReason").asText()).isEqualTo("STOP");
			assertThat(json.path("usageMetadata").path("totalTokenCount").asInt()).isEqualTo(5);
			assertThat(Json.read(models.body()).path("models").path(0).path("name").asText())
				.isEqualTo("models/gemini-2.5-flash");
		}
	}

}
