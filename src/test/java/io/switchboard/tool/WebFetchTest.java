package io.switchboard.tool;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.switchboard.assistant.AssistantTool.ToolFailure;
import io.switchboard.assistant.ToolProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The web page tool refuses what only the server can reach: loopback, the cloud metadata
 * address, a redirect inward; and it keeps to its size limit.
 */
class WebFetchTest {

	HttpServer server;

	final AtomicInteger secretHits = new AtomicInteger();

	@BeforeEach
	void start() throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/page",
				exchange -> send(exchange, 200, "text/html; charset=utf-8",
						"<html><head><title>Fox &amp; Snow</title><script>var x=1;</script></head>"
								+ "<body><h1>Foxes</h1><p>They like <b>snow</b>.</p></body></html>"));
		server.createContext("/big", exchange -> send(exchange, 200, "text/plain", "y".repeat(5000)));
		server.createContext("/secret", exchange -> {
			secretHits.incrementAndGet();
			send(exchange, 200, "text/plain", "internal secret");
		});
		server.createContext("/to-secret", exchange -> {
			exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port() + "/secret");
			send(exchange, 302, "text/plain", "");
		});
		server.createContext("/to-metadata", exchange -> {
			exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
			send(exchange, 302, "text/plain", "");
		});
		server.createContext("/image", exchange -> send(exchange, 200, "image/png", "PNG"));
		server.start();
	}

	@AfterEach
	void stop() {
		server.stop(0);
	}

	int port() {
		return server.getAddress().getPort();
	}

	static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", type);
		exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
		if (bytes.length > 0) {
			exchange.getResponseBody().write(bytes);
		}
		exchange.close();
	}

	static WebFetch fetch(boolean allowPrivate, List<String> allowHosts) {
		return new WebFetch(
				new ToolProperties.Fetch(allowPrivate, DataSize.ofBytes(1000), Duration.ofSeconds(5), 3, allowHosts));
	}

	@Test
	void loopbackIsRefused() {
		assertThatThrownBy(() -> fetch(false, List.of()).fetch("http://127.0.0.1:" + port() + "/secret"))
			.isInstanceOf(ToolFailure.class)
			.hasMessageContaining("loopback");
		assertThatThrownBy(() -> fetch(false, List.of()).fetch("http://localhost:" + port() + "/secret"))
			.isInstanceOf(ToolFailure.class);
		assertThatThrownBy(() -> fetch(false, List.of()).fetch("http://[::1]:" + port() + "/secret"))
			.isInstanceOf(ToolFailure.class);
		assertThat(secretHits).hasValue(0);
	}

	@Test
	void theCloudMetadataAddressIsRefused() {
		assertThatThrownBy(() -> fetch(false, List.of()).fetch("http://169.254.169.254/latest/meta-data/"))
			.isInstanceOf(ToolFailure.class)
			.hasMessageContaining("link-local");
	}

	@Test
	void aRedirectToAPrivateAddressIsRefused() {
		// localhost is allowed by name; where it redirects is checked again
		WebFetch fetch = fetch(false, List.of("localhost"));

		assertThatThrownBy(() -> fetch.fetch("http://localhost:" + port() + "/to-secret"))
			.isInstanceOf(ToolFailure.class)
			.hasMessageContaining("127.0.0.1");
		assertThatThrownBy(() -> fetch.fetch("http://localhost:" + port() + "/to-metadata"))
			.isInstanceOf(ToolFailure.class)
			.hasMessageContaining("169.254.169.254");
		assertThat(secretHits).hasValue(0);
	}

	@Test
	void anAllowedPageIsReadAsTextWithinItsSizeLimit() {
		WebFetch.Page page = fetch(true, List.of()).fetch("http://127.0.0.1:" + port() + "/page");
		assertThat(page.contentType()).isEqualTo("text/html");
		assertThat(FetchPageTool.toText(page.body())).isEqualTo("Foxes\nThey like snow.");

		WebFetch.Page big = fetch(true, List.of()).fetch("http://127.0.0.1:" + port() + "/big");
		assertThat(big.body()).hasSize(1000);
		assertThat(big.cut()).isTrue();
	}

	@Test
	void badUrlsAndNonTextAreRefused() {
		WebFetch fetch = fetch(true, List.of());
		assertThatThrownBy(() -> fetch.fetch("file:///etc/passwd")).isInstanceOf(ToolFailure.class)
			.hasMessageContaining("Only http and https");
		assertThatThrownBy(() -> fetch.fetch("not a url")).isInstanceOf(ToolFailure.class);
		assertThatThrownBy(() -> fetch.fetch("http://user:pw@127.0.0.1:" + port() + "/page"))
			.isInstanceOf(ToolFailure.class);
		assertThatThrownBy(() -> fetch.fetch("http://127.0.0.1:" + port() + "/image")).isInstanceOf(ToolFailure.class)
			.hasMessageContaining("Not a text page");
	}

	@Test
	void inwardAddressesAreRecognised() throws IOException {
		for (String inward : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
				"100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254")) {
			assertThat(WebFetch.inward(InetAddress.getByName(inward))).as(inward).isNotNull();
		}
		for (String outward : List.of("8.8.8.8", "1.1.1.1", "2606:4700:4700::1111")) {
			assertThat(WebFetch.inward(InetAddress.getByName(outward))).as(outward).isNull();
		}
	}

}
