package io.switchboard.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.switchboard.channel.ChannelContract;
import io.switchboard.channel.line.LineRig;
import io.switchboard.channel.slack.SlackRig;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.media.MediaLinks;
import io.switchboard.media.MediaRef;
import io.switchboard.media.MediaStore;
import io.switchboard.testsupport.Cluster;
import io.switchboard.testsupport.WebSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three nodes on one PostgreSQL schema, as behind a load balancer that sends each request
 * wherever it likes: what a user sees must not depend on which node took a request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTest {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final Pattern NEW_KEY = Pattern.compile("id=\"new-key\">(sk-sb-[^<]+)<");

	private final FakeOpenAi model = FakeOpenAi.start("sk-cluster");

	private LineRig line;

	private SlackRig slack;

	private Cluster cluster;

	private WebSession admin;

	@BeforeAll
	void startCluster() {
		line = new LineRig();
		slack = new SlackRig();
		List<String> settings = new ArrayList<>(line.settings());
		settings.addAll(slack.settings());
		settings.addAll(ClusterSettings.model(model));
		cluster = Cluster.start(3, settings);
		admin = new WebSession(Cluster.port(cluster.node(0)));
		admin.get("/setup");
		HttpResponse<String> made = admin.postForm("/setup", Map.of("username", "admin", "displayName", "Admin",
				"password", "admin-password-1", "passwordAgain", "admin-password-1"));
		assertThat(made.statusCode()).as(made.body()).isEqualTo(302);
	}

	@AfterAll
	void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
		if (line != null) {
			line.close();
		}
		if (slack != null) {
			slack.close();
		}
		model.close();
	}

	private int modelRequestsAbout(String text) {
		return (int) model.requests().stream().filter(request -> request.bodyText().contains(text)).count();
	}

	@Test
	void aBurstOfLineAndSlackEventsSpreadOverTheNodesIsAnsweredOnceEach() throws Exception {
		record Sent(ChannelContract.Rig rig, String user, String text, ChannelContract.PlatformEvent event) {
		}
		List<Sent> burst = new ArrayList<>();
		for (int i = 0; i < 15; i++) {
			for (ChannelContract.Rig rig : List.of(line, slack)) {
				String user = rig.newUser();
				String text = "burst " + i + " " + UUID.randomUUID().toString().substring(0, 8);
				burst.add(new Sent(rig, user, text, rig.message(user, text)));
			}
		}

		// each event twice (a platform's retry), both copies to nodes picked at random,
		// all at
		// once
		try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> sending = new ArrayList<>();
			for (Sent sent : burst) {
				for (int copy = 0; copy < 2; copy++) {
					sending.add(senders.submit(() -> {
						start.await();
						sent.rig().deliver(cluster.any(), sent.event());
						return null;
					}));
				}
			}
			start.countDown();
			for (Future<?> one : sending) {
				one.get();
			}
		}

		ConfigurableApplicationContext reader = cluster.node(0);
		await().atMost(WAIT)
			.until(() -> burst.stream().allMatch(sent -> sent.rig().answersTo(reader, sent.user()).size() == 1));
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(10))
			.until(() -> burst.stream().allMatch(sent -> sent.rig().answersTo(reader, sent.user()).size() == 1));
		for (Sent sent : burst) {
			assertThat(sent.rig().answersTo(reader, sent.user()).getFirst()).contains("Echo: " + sent.text());
			assertThat(modelRequestsAbout(sent.text())).as(sent.text()).isEqualTo(1);
		}
		assertThat(cluster.database().sql("SELECT COUNT(*) FROM channel_turns").query(Integer.class).single()).isZero();
	}

	@Test
	void aWebSignInMadeOnOneNodeIsValidOnTheOthers() {
		WebSession member = newMember(cluster.node(0));

		for (ConfigurableApplicationContext node : cluster.nodes()) {
			HttpResponse<String> page = member.on(Cluster.port(node)).get("/");
			assertThat(page.statusCode()).as("the chat page on port " + Cluster.port(node)).isEqualTo(200);
		}
		WebSession stranger = new WebSession(Cluster.port(cluster.node(2)));
		assertThat(stranger.get("/").statusCode()).isEqualTo(302);
	}

	@Test
	void aChatAnswerStreamsToThePageWhicheverNodeTookTheMessage() {
		WebSession member = newMember(cluster.node(0));
		for (ConfigurableApplicationContext node : cluster.nodes()) {
			String text = "which node " + UUID.randomUUID().toString().substring(0, 8);
			WebSession there = member.on(Cluster.port(node));
			there.get("/");
			HttpResponse<Stream<String>> stream = there.postMultipartStreaming("/chat/messages",
					Map.of("text", text, "clientId", UUID.randomUUID().toString()));
			assertThat(stream.statusCode()).isEqualTo(200);
			String events = stream.body().collect(Collectors.joining("\n"));
			assertThat(events).as("the stream from port " + Cluster.port(node)).contains("Echo: " + text);
		}
	}

	@Test
	void anImageJobsProgressReachesAPageFollowingItOnAnyNode() throws Exception {
		WebSession member = newMember(cluster.node(0));
		HttpResponse<String> created = member.postJson("/api/images/jobs", "{\"prompt\":\"a lighthouse at dusk\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(created.body());
		assertThat(id.find()).isTrue();

		// a page on each node follows the job; its steps run on whichever node picks them
		// up,
		// so at least two of the pages are on nodes that never touch it
		try (ExecutorService pages = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<String>> streams = new ArrayList<>();
			for (ConfigurableApplicationContext node : cluster.nodes()) {
				WebSession there = member.on(Cluster.port(node));
				streams.add(pages.submit(() -> there.stream("/api/images/jobs/" + id.group(1) + "/events")
					.body()
					.collect(Collectors.joining("\n"))));
			}
			for (Future<String> stream : streams) {
				assertThat(stream.get(60, java.util.concurrent.TimeUnit.SECONDS)).contains("\"state\":\"succeeded\"");
			}
		}
	}

	@Test
	void requestsPerMinuteOfAnApiKeyHoldAcrossNodes() throws Exception {
		int perMinute = 60;
		String key = newApiKey("rpm", perMinute);
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		AtomicInteger allowed = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		List<Integer> ports = cluster.nodes().stream().map(Cluster::port).toList();

		long began = System.nanoTime();
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<?>> calls = new ArrayList<>();
			for (int i = 0; i < 300; i++) {
				int port = ports.get(i % ports.size());
				calls.add(clients.submit(() -> {
					int status = http.send(HttpRequest
						.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
						.header("Authorization", "Bearer " + key)
						.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString(
								"{\"model\":\"cluster-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
						.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
					(status == 200 ? allowed : refused).incrementAndGet();
					assertThat(status).isIn(200, 429);
					return null;
				}));
			}
			for (Future<?> call : calls) {
				call.get();
			}
		}
		double seconds = (System.nanoTime() - began) / 1e9;

		// the bucket starts full and refills one request a second
		double limit = perMinute + perMinute * seconds / 60.0;
		double overshoot = allowed.get() / limit - 1;
		System.out.printf(
				"cluster rate limit: 3 nodes, %d rpm, %d requests in %.1f s: %d allowed (limit %.1f, "
						+ "overshoot %.2f%%), %d refused%n",
				perMinute, 300, seconds, allowed.get(), limit, overshoot * 100, refused.get());
		assertThat(allowed.get()).isGreaterThanOrEqualTo(perMinute);
		assertThat((double) allowed.get()).isLessThanOrEqualTo(limit * 1.01);
	}

	@Test
	void aMediaLinkSignedOnOneNodeOpensOnAnother() throws Exception {
		MediaRef image = cluster.node(0).getBean(MediaStore.class).store(TinyPng.bytes());
		String path = cluster.node(0).getBean(MediaLinks.class).path(image.sha256());
		HttpClient http = HttpClient.newHttpClient();

		for (ConfigurableApplicationContext node : cluster.nodes()) {
			HttpResponse<byte[]> opened = http.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Cluster.port(node) + path)).build(),
					HttpResponse.BodyHandlers.ofByteArray());
			assertThat(opened.statusCode()).as("the link on port " + Cluster.port(node)).isEqualTo(200);
			assertThat(opened.body()).isEqualTo(TinyPng.bytes());
		}
	}

	@Test
	void aMemberPausedByAnAdminOnOneNodeIsPausedOnEveryNode() {
		String username = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		createMember(username);
		WebSession member = new WebSession(Cluster.port(cluster.node(1)));
		assertThat(member.signIn(username, "password-" + username)).endsWith("/");
		long id = cluster.database()
			.sql("SELECT user_id FROM web_accounts WHERE username = ?")
			.param(username)
			.query(Long.class)
			.single();

		WebSession adminElsewhere = admin.on(Cluster.port(cluster.node(2)));
		adminElsewhere.get("/admin/users");
		assertThat(adminElsewhere.postForm("/admin/users/" + id + "/state", Map.of("state", "disabled")).statusCode())
			.isEqualTo(302);

		for (ConfigurableApplicationContext node : cluster.nodes()) {
			String text = "still there " + UUID.randomUUID().toString().substring(0, 8);
			WebSession there = member.on(Cluster.port(node));
			there.get("/");
			String events = there
				.postMultipartStreaming("/chat/messages",
						Map.of("text", text, "clientId", UUID.randomUUID().toString()))
				.body()
				.collect(Collectors.joining("\n"));
			assertThat(events).as("port " + Cluster.port(node)).contains("paused").doesNotContain("Echo: " + text);
			assertThat(modelRequestsAbout(text)).isZero();
		}
	}

	// ------------------------------------------------------------ helpers

	private void createMember(String username) {
		admin.get("/admin/users");
		HttpResponse<String> made = admin.postForm("/admin/users", Map.of("username", username, "displayName", username,
				"password", "password-" + username, "role", "member"));
		assertThat(made.statusCode()).as(made.body()).isEqualTo(302);
	}

	/** A member made by the admin, signed in on {@code node}. */
	private WebSession newMember(ConfigurableApplicationContext node) {
		String username = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		createMember(username);
		WebSession member = new WebSession(Cluster.port(node));
		assertThat(member.signIn(username, "password-" + username)).endsWith("/");
		member.get("/");
		return member;
	}

	private String newApiKey(String name, int requestsPerMinute) {
		admin.get("/api-keys");
		HttpResponse<String> page = admin.postForm("/api-keys",
				Map.of("name", name, "requestsPerMinute", Integer.toString(requestsPerMinute)));
		Matcher key = NEW_KEY.matcher(page.body());
		assertThat(key.find()).as(page.body()).isTrue();
		return key.group(1);
	}

	/** The smallest valid PNG: one transparent pixel. */
	static final class TinyPng {

		private static final String BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

		static byte[] bytes() {
			return java.util.Base64.getDecoder().decode(BASE64);
		}

	}

}
