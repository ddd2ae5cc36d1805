package io.switchboard.api;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.testsupport.IntegrationTest;
import io.switchboard.testsupport.RecordingSink;
import io.switchboard.testsupport.WebSession;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API keys page, the usage page and the {@code /apikey} command, over real HTTP and
 * through the assistant's front door, on the demo model (no provider configured).
 */
@IntegrationTest
@TestPropertySource(properties = "switchboard.image.demo.duration=200ms")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiPagesTest {

	static final Pattern SECRET = Pattern.compile("sk-sb-[A-Za-z0-9_-]{43}");

	@LocalServerPort
	int port;

	@Autowired
	ApiKeys keys;

	@Autowired
	Conversations conversations;

	@Autowired
	Assistant assistant;

	@Autowired
	CallRecorder recorder;

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	WebSession admin() {
		WebSession session = new WebSession(port);
		if (session.get("/login").headers().firstValue("Location").orElse("").endsWith("/setup")) {
			session.get("/setup");
			session.postForm("/setup", Map.of("username", "root", "displayName", "Root", "password", "root-password",
					"passwordAgain", "root-password"));
		}
		else {
			session.signIn("root", "root-password");
		}
		return session;
	}

	@Test
	@Order(1)
	void aKeyIsMadeOnThePageShownOnceStoredAsAHashAndRevokedThere() throws Exception {
		WebSession web = admin();
		HttpResponse<String> page = web.get("/api-keys");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("Make a key").contains("API keys").contains("Usage");

		HttpResponse<String> made = web.postForm("/api-keys",
				Map.of("name", "laptop", "requestsPerMinute", "30", "spendPerMonth", "2.50", "models", "demo"));
		assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
		Matcher secret = SECRET.matcher(made.body());
		assertThat(secret.find()).isTrue();
		String key = secret.group();
		assertThat(made.body()).contains("will not be shown again").contains("30 req/min").contains("$2.50/month");

		// shown once: the list has only the hint, and the database only the hash
		String list = web.get("/api-keys").body();
		assertThat(list).doesNotContain(key).contains(key.substring(0, 10));
		User root = conversations.findUser(new PlatformUserId("web", "root")).orElseThrow();
		ApiKey stored = keys.keysOf(root.id()).getFirst();
		assertThat(stored.hint()).doesNotContain(key.substring(10, 40));
		assertThat(keys.authenticate(key)).isInstanceOf(ApiKeys.Lookup.Valid.class);

		HttpResponse<String> revoked = web.postForm("/api-keys/" + stored.id() + "/revoke", Map.of());
		assertThat(revoked.statusCode()).isEqualTo(302);
		assertThat(web.get("/api-keys").body()).contains("Revoked the key laptop").contains("revoked");
		assertThat(keys.authenticate(key)).isInstanceOf(ApiKeys.Lookup.Revoked.class);
	}

	@Test
	@Order(2)
	void badLimitsAreRefusedOnThePage() {
		WebSession web = admin();
		web.get("/api-keys");
		HttpResponse<String> refused = web.postForm("/api-keys", Map.of("name", "bad", "requestsPerMinute", "0"));
		assertThat(refused.body()).contains("Limits must be positive");
		assertThat(SECRET.matcher(refused.body()).find()).isFalse();
	}

	@Test
	@Order(3)
	void theApikeyCommandMakesListsAndRevokesKeysAndKeepsSecretsOutOfGroups() {
		PlatformUserId sender = new PlatformUserId("line", "U-apikey");
		RecordingSink sink = new RecordingSink();
		sink.receive(assistant,
				InboundMessage.text(sender, "Liz", Place.direct("line"), "/apikey create bot models=demo rpm=5"));
		String made = notice(sink);
		assertThat(made).contains("Made the API key").contains("5 req/min");
		Matcher secret = SECRET.matcher(made);
		assertThat(secret.find()).isTrue();
		assertThat(keys.authenticate(secret.group())).isInstanceOf(ApiKeys.Lookup.Valid.class);

		RecordingSink list = new RecordingSink();
		list.receive(assistant, InboundMessage.text(sender, "Liz", Place.direct("line"), "/apikey list"));
		assertThat(notice(list)).contains("bot").doesNotContain(secret.group());

		RecordingSink group = new RecordingSink();
		group.receive(assistant, InboundMessage.text(sender, "Liz", Place.group("line", "G1"), "/apikey create leak"));
		assertThat(notice(group)).contains("not in a group");

		// a member may not make keys for others, nor list everyone's
		RecordingSink other = new RecordingSink();
		other.receive(assistant, InboundMessage.text(sender, "Liz", Place.direct("line"), "/apikey create x user=1"));
		assertThat(notice(other)).contains("Only an admin");
		RecordingSink all = new RecordingSink();
		all.receive(assistant, InboundMessage.text(sender, "Liz", Place.direct("line"), "/apikey list all"));
		assertThat(notice(all)).contains("Only an admin");

		long id = keys.keysOf(conversations.findUser(sender).orElseThrow().id()).getFirst().id();
		RecordingSink revoke = new RecordingSink();
		revoke.receive(assistant, InboundMessage.text(sender, "Liz", Place.direct("line"), "/apikey revoke #" + id));
		assertThat(notice(revoke)).contains("Revoked");
		assertThat(keys.authenticate(secret.group())).isInstanceOf(ApiKeys.Lookup.Revoked.class);
	}

	@Test
	@Order(4)
	void theUsagePageShowsCallsPerDayModelKeyAndUserWithAChart() throws Exception {
		WebSession web = admin();
		web.get("/api-keys");
		Matcher secret = SECRET.matcher(web.postForm("/api-keys", Map.of("name", "usage")).body());
		assertThat(secret.find()).isTrue();
		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> answer = http.send(java.net.http.HttpRequest
				.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
				.header("Authorization", "Bearer " + secret.group())
				.header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers
					.ofString("{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello demo\"}]}"))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		}
		Thread.sleep(100);
		recorder.flush();
		String page = web.get("/usage?days=7").body();
		assertThat(page).contains("<svg")
			.contains("class=\"bar\"")
			.contains("By model")
			.contains("By key")
			.contains("By user")
			.contains("usage (");
		assertThat(page).containsPattern("<td>demo</td>\\s*<td>3</td>");
		// usage over every platform, from the usage ledger: tokens and cost per day, and
		// the rows
		assertThat(page).contains("id=\"tokens-chart\"").contains("id=\"cost-chart\"").contains("id=\"all-usage\"");
		assertThat(page).containsPattern("<td>\\d{4}-\\d{2}-\\d{2}</td>\\s*<td>demo</td>");

		String members = new WebSession(port).get("/usage").headers().firstValue("Location").orElse("");
		assertThat(members).endsWith("/login");
	}

	private static String notice(RecordingSink sink) {
		return sink.events()
			.stream()
			.filter(ReplyEvent.Notice.class::isInstance)
			.map(event -> ((ReplyEvent.Notice) event).reply().text())
			.reduce("", String::concat);
	}

	@Test
	@Order(5)
	void imagesAreGeneratedInOpenAisFormatAsBase64OrLinks() throws Exception {
		WebSession web = admin();
		web.get("/api-keys");
		Matcher secret = SECRET.matcher(web.postForm("/api-keys", Map.of("name", "images")).body());
		assertThat(secret.find()).isTrue();
		com.openai.client.OpenAIClient client = com.openai.client.okhttp.OpenAIOkHttpClient.builder()
			.apiKey(secret.group())
			.baseUrl("http://127.0.0.1:" + port + "/v1")
			.maxRetries(0)
			.timeout(java.time.Duration.ofSeconds(60))
			.build();
		com.openai.models.images.ImagesResponse base64 = client.images()
			.generate(com.openai.models.images.ImageGenerateParams.builder()
				.prompt("a lighthouse at dusk")
				.n(2)
				.responseFormat(com.openai.models.images.ImageGenerateParams.ResponseFormat.B64_JSON)
				.build());
		assertThat(base64.data()).hasValueSatisfying(images -> {
			assertThat(images).hasSize(2);
			byte[] png = java.util.Base64.getDecoder().decode(images.getFirst().b64Json().orElseThrow());
			assertThat(png).startsWith(new byte[] { (byte) 0x89, 'P', 'N', 'G' });
		});

		com.openai.models.images.ImagesResponse linked = client.images()
			.generate(com.openai.models.images.ImageGenerateParams.builder().prompt("a lighthouse at dawn").build());
		String url = linked.data().orElseThrow().getFirst().url().orElseThrow();
		java.net.URI link = java.net.URI.create(url);
		HttpResponse<byte[]> image = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest
				.newBuilder(
						java.net.URI.create("http://127.0.0.1:" + port + link.getRawPath() + "?" + link.getRawQuery()))
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(image.statusCode()).isEqualTo(200);
		assertThat(image.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("image/"));

		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		for (String bad : java.util.List.of("{\"n\":1}", "{\"prompt\":\"x\",\"n\":5}",
				"{\"prompt\":\"x\",\"size\":\"big\"}", "{\"prompt\":\"x\",\"response_format\":\"gif\"}",
				"{\"prompt\":")) {
			HttpResponse<String> refused = http.send(java.net.http.HttpRequest
				.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1/images/generations"))
				.header("Authorization", "Bearer " + secret.group())
				.header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(bad))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(refused.statusCode()).as(bad).isEqualTo(400);
			assertThat(refused.body()).contains("\"error\"");
		}

		// "model" picks a configured image provider; an unknown one is OpenAI's 404
		HttpResponse<String> named = http.send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1/images/generations"))
			.header("Authorization", "Bearer " + secret.group())
			.header("Content-Type", "application/json")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"prompt\":\"a kite\",\"model\":\"demo\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(named.statusCode()).as(named.body()).isEqualTo(200);
		assertThat(named.body()).contains("\"url\"");
		int before = jdbc.sql("SELECT COUNT(*) FROM image_jobs").query(Integer.class).single();
		HttpResponse<String> unknown = http.send(java.net.http.HttpRequest
			.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1/images/generations"))
			.header("Authorization", "Bearer " + secret.group())
			.header("Content-Type", "application/json")
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"prompt\":\"a kite\",\"model\":\"dall-e-9\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("\"code\":\"model_not_found\"").contains("demo");
		assertThat(jdbc.sql("SELECT COUNT(*) FROM image_jobs").query(Integer.class).single()).isEqualTo(before);
	}

}
