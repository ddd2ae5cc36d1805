package io.switchboard.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserRole;
import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The front door with a plain HTTP client (a socket, as curl or Python's urllib would
 * talk): calls without a key from a trusted address act as the configured key and are
 * refused from any other; a body over the limit sent whole without
 * {@code Expect: 100-continue} gets its 413, and text with a lone surrogate a 400.
 */
@IntegrationTest
class GatewayFrontDoorTest extends GatewayTestBase {

	@DynamicPropertySource
	static void trusted(DynamicPropertyRegistry registry) {
		registry.add("switchboard.api.anonymous.addresses[0]", () -> "127.0.0.1");
		registry.add("switchboard.api.anonymous.addresses[1]", () -> "::1");
		// this context's database is new: the first key made is #1
		registry.add("switchboard.api.anonymous.key", () -> "1");
	}

	static User trustedUser;

	@BeforeEach
	void theTrustedNetworksKey() {
		synchronized (GatewayFrontDoorTest.class) {
			if (keys.find(1).isEmpty()) {
				trustedUser = conversations.createUser(new PlatformUserId("test", "lan"), "LAN", UserRole.MEMBER);
				keys.create(trustedUser, trustedUser.id(), "trusted network", ApiKey.Limits.NONE);
			}
		}
	}

	/** One HTTP/1.1 exchange on a fresh connection, from {@code from}; the raw answer. */
	String exchange(String from, String head, byte[] body) throws IOException {
		try (Socket socket = new Socket()) {
			socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write((head + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			// the whole body first, reading nothing, as Python's urllib does
			out.write(body);
			out.flush();
			InputStream in = socket.getInputStream();
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			in.transferTo(answer);
			return answer.toString(StandardCharsets.UTF_8);
		}
	}

	static String post(String path) {
		return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
	}

	static byte[] chat(String content) {
		return ("{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}")
			.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void aTrustedAddressMayCallWithoutAKeyAsTheConfiguredOne() throws Exception {
		String answer = exchange("127.0.0.1", post("/v1/chat/completions"), chat("Hello from the LAN"));
		assertThat(answer).startsWith("HTTP/1.1 200").contains("chat.completion");
		recorder.flush();
		assertThat(calls.recent(trustedUser.id().value(), 10)).singleElement()
			.satisfies(call -> assertThat(call.keyId()).isEqualTo(1L));
	}

	@Test
	void anotherAddressStillNeedsAKey() throws Exception {
		String answer = exchange("127.0.0.2", post("/v1/chat/completions"), chat("Hello from elsewhere"));
		assertThat(answer).startsWith("HTTP/1.1 401").contains("You didn't provide an API key");
	}

	@Test
	void aBodyOverTheLimitSentWholeGetsA413NotABrokenPipe() throws Exception {
		byte[] body = new byte[3 << 20]; // beyond Tomcat's default swallow size of 2 MB
		Arrays.fill(body, (byte) ' ');
		String answer = exchange("127.0.0.1", post("/v1/chat/completions"), body);
		assertThat(answer).startsWith("HTTP/1.1 413").contains("request_too_large");
	}

	@Test
	void aLoneSurrogateIsRefusedInOpenAisFormat() throws Exception {
		String answer = exchange("127.0.0.1", post("/v1/chat/completions"), chat("broken \\ud800 text"));
		assertThat(answer).startsWith("HTTP/1.1 400").contains("invalid_unicode").contains("\\\\ud800");
		// a pair is fine
		assertThat(exchange("127.0.0.1", post("/v1/chat/completions"), chat("smile \\ud83d\\ude00")))
			.startsWith("HTTP/1.1 200");
	}

}
