package io.switchboard.api;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The byte-level pass-through: only the model (and the usage question) change. */
class ChatCompletionRequestTest {

	static final JsonFactory JSON = new JsonFactory();

	static ChatCompletionRequest parse(String body) {
		return ChatCompletionRequest.parse(body.getBytes(StandardCharsets.UTF_8), JSON);
	}

	static String upstream(String body, String model) {
		return new String(parse(body).upstreamBody(model), StandardCharsets.UTF_8);
	}

	@Test
	void onlyTheModelIsRewrittenAndEveryOtherByteStays() {
		String body = """
				{ "temperature" : 1.0e0, "model" : "mine",
				  "messages":[{"role":"user","content":[{"type":"text","text":"é \\u00e9"}]}],
				  "x": {"deep": [null, true, 1e400]} }""";
		assertThat(upstream(body, "their/\"model\"")).isEqualTo(body.replace("\"mine\"", "\"their/\\\"model\\\"\""));
	}

	@Test
	void aStreamAsksForUsageWithoutTouchingWhatTheClientSent() {
		String plain = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
		ChatCompletionRequest request = parse(plain);
		assertThat(request.stream()).isTrue();
		assertThat(request.clientWantsUsage()).isFalse();
		assertThat(upstream(plain, "u")).isEqualTo(
				"{\"model\":\"u\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream_options\":{\"include_usage\":true}}");

		String options = "{\"stream_options\":{\"include_usage\":false,\"other\":1},\"stream\":true,\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
		String sent = upstream(options, "u");
		assertThat(sent).startsWith("{\"stream_options\":{\"include_usage\":true,\"other\":1},")
			.contains("\"model\":\"u\"");

		String asked = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
		assertThat(parse(asked).clientWantsUsage()).isTrue();
		assertThat(upstream(asked, "u")).isEqualTo(asked.replace("\"m\"", "\"u\""));
		String nulled = "{\"model\":\"m\",\"stream\":true,\"stream_options\":null,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
		assertThat(upstream(nulled, "u")).contains("\"stream_options\":{\"include_usage\":true}");
	}

	@Test
	void theTreeIsThereForTranslation() {
		ChatCompletionRequest request = parse(
				"{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[]},{\"role\":\"user\",\"content\":\"Hi\"}]}");
		assertThat(request.tree(new ObjectMapper()).path("messages").size()).isEqualTo(2);
	}

	@Test
	void wrongShapesNameTheirParameter() {
		assertThatThrownBy(() -> parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[1]}]}"))
			.isInstanceOfSatisfying(OpenAiError.class, error -> {
				assertThat(error.status()).isEqualTo(400);
				assertThat(new String(error.body(), StandardCharsets.UTF_8))
					.contains("\"param\":\"messages[0].content[0]\"");
			});
		assertThatThrownBy(() -> parse("{\"model\":\"m\",\"messages\":[{\"role\":\"system\"}]}"))
			.isInstanceOf(OpenAiError.class)
			.hasMessageContaining("messages[0].content");
		assertThatThrownBy(() -> parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]} {}"))
			.isInstanceOf(OpenAiError.class)
			.hasMessageContaining("could not parse");
	}

}
