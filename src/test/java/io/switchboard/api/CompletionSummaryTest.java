package io.switchboard.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

class CompletionSummaryTest {

	private final JsonFactory json = new JsonFactory();

	private CompletionSummary read(String answer) throws IOException {
		byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
		return CompletionSummary.read(json, bytes, bytes.length);
	}

	@Test
	void usageAndTheFirstChoicesTextAreReadWhateverElseTheAnswerHolds() throws IOException {
		CompletionSummary summary = read("""
				{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m",
				 "system_fingerprint":null,"extra":{"nested":[1,{"content":"not this"}]},
				 "choices":[{"index":0,"logprobs":null,"message":{"role":"assistant","refusal":null,
				   "content":"Hello ✓","tool_calls":[]},"finish_reason":"stop"},
				   {"index":1,"message":{"role":"assistant","content":"second"}}],
				 "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,
				   "prompt_tokens_details":{"cached_tokens":0}}}
				""");

		assertThat(summary).isEqualTo(new CompletionSummary(12, 3, 0, "Hello ✓"));
	}

	@Test
	void theCachedPartOfThePromptIsRead() throws IOException {
		CompletionSummary summary = read("""
				{"choices":[{"message":{"content":"Hi"}}],
				 "usage":{"prompt_tokens":1200,"completion_tokens":3,
				   "prompt_tokens_details":{"audio_tokens":0,"cached_tokens":1024},
				   "completion_tokens_details":{"reasoning_tokens":0}}}
				""");

		assertThat(summary).isEqualTo(new CompletionSummary(1200, 3, 1024, "Hi"));
	}

	@Test
	void anAnswerWithoutUsageSaysSoSoTheGatewayCounts() throws IOException {
		assertThat(read("{\"choices\":[{\"message\":{\"content\":null}}]}"))
			.isEqualTo(new CompletionSummary(-1, -1, 0, ""));
		assertThat(read("{\"usage\":null,\"choices\":[]}")).isEqualTo(new CompletionSummary(-1, -1, 0, ""));
	}

	@Test
	void onlyTheGivenLengthIsReadAndACutAnswerIsAnError() {
		byte[] bytes = "{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}".getBytes(StandardCharsets.UTF_8);

		assertThatIOException().isThrownBy(() -> CompletionSummary.read(json, bytes, bytes.length - 1));
		assertThatIOException().isThrownBy(() -> CompletionSummary.read(json, "[1]".getBytes(), 3));
	}

}
