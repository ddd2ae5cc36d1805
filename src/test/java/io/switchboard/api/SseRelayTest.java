package io.switchboard.api;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream relay: bytes through unchanged, usage read, the unasked usage chunk left
 * out.
 */
class SseRelayTest {

	static final String CHUNK = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}],\"usage\":null}\n\n";

	static final String USAGE = "data: {\"id\":\"c\",\"choices\":[],\"usage\": {\"prompt_tokens\":9,\"completion_tokens\":2}}\n\n";

	static final String STREAM = CHUNK.formatted("Hel") + CHUNK.formatted("lo") + USAGE + "data: [DONE]\n\n";

	/** Hands the bytes out a few at a time, as a network would. */
	static InputStream trickle(String text, int piece) {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		return new ByteArrayInputStream(bytes) {
			@Override
			public synchronized int read(byte[] b, int off, int len) {
				return super.read(b, off, Math.min(len, piece));
			}
		};
	}

	@Test
	void withoutTheUsageQuestionTheUsageChunkIsReadAndLeftOut() throws IOException {
		for (int piece : new int[] { 1, 7, 64, 100_000 }) {
			SseRelay relay = new SseRelay(new ObjectMapper(), false, true);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			relay.relay(trickle(STREAM, piece), out);
			assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(STREAM.replace(USAGE, ""));
			assertThat(relay.promptTokens()).isEqualTo(9);
			assertThat(relay.completionTokens()).isEqualTo(2);
			assertThat(relay.done()).isTrue();
			assertThat(relay.text()).isEqualTo("Hello");
		}
	}

	@Test
	void whenAskedEveryByteGoesThroughAndCrlfEventsWorkToo() throws IOException {
		SseRelay relay = new SseRelay(new ObjectMapper(), true, false);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		String crlf = STREAM.replace("\n\n", "\r\n\r\n");
		relay.relay(trickle(crlf, 5), out);
		assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(crlf);
		assertThat(relay.completionTokens()).isEqualTo(2);
	}

	@Test
	void aClientThatLeavesStopsTheRelay() throws IOException {
		SseRelay relay = new SseRelay(new ObjectMapper(), true, false);
		java.io.OutputStream gone = new java.io.OutputStream() {
			@Override
			public void write(int b) throws IOException {
				throw new IOException("broken pipe");
			}

			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				throw new IOException("broken pipe");
			}
		};
		relay.relay(trickle(STREAM, 10), gone);
		assertThat(relay.clientGone()).isTrue();
	}

}
