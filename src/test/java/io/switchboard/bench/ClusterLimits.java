package io.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.testsupport.Cluster;
import io.switchboard.testsupport.WebSession;

/**
 * How far a key's requests-per-minute limit holds when several nodes are hammered
 * together (docs/benchmarks.md, "API key limits across nodes"): {@code --nodes} servers
 * on one PostgreSQL schema, one key allowed {@code --rpm} requests a minute,
 * {@code --clients} clients sending as fast as they can, spread over the nodes, for
 * {@code --seconds}. The bucket starts full and refills smoothly, so the most a correct
 * limit lets through is {@code rpm + rpm * seconds / 60}; the overshoot is what was let
 * through beyond that.
 *
 * <pre>
 * bench/cluster-limits.sh --nodes 3 --rpm 600 --clients 48 --seconds 60
 * </pre>
 */
public final class ClusterLimits {

	private static final Pattern NEW_KEY = Pattern.compile("id=\"new-key\">(sk-sb-[^<]+)<");

	private ClusterLimits() {
	}

	public static void main(String[] args) throws Exception {
		int nodes = 3;
		int rpm = 600;
		int clients = 48;
		int seconds = 60;
		for (int i = 0; i + 1 < args.length; i += 2) {
			int value = Integer.parseInt(args[i + 1]);
			switch (args[i]) {
				case "--nodes" -> nodes = value;
				case "--rpm" -> rpm = value;
				case "--clients" -> clients = value;
				case "--seconds" -> seconds = value;
				default -> throw new IllegalArgumentException(
						"unknown option " + args[i] + " (known: --nodes, --rpm, --clients, --seconds)");
			}
		}
		try (FakeOpenAi model = FakeOpenAi.start("sk-bench");
				Cluster cluster = Cluster.start(nodes,
						List.of("switchboard.llm.providers.bench.type=openai",
								"switchboard.llm.providers.bench.base-url=" + model.baseUrl(),
								"switchboard.llm.providers.bench.api-key=" + model.apiKey(),
								"switchboard.llm.models.bench-model.provider=bench",
								"switchboard.llm.models.bench-model.upstream-model=gpt-4o-mini",
								"switchboard.llm.default-model=bench-model", "logging.level.root=WARN"))) {
			String key = newKey(cluster, rpm);
			List<Integer> ports = cluster.nodes().stream().map(Cluster::port).toList();
			HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			AtomicLong allowed = new AtomicLong();
			AtomicLong refused = new AtomicLong();
			AtomicLong failed = new AtomicLong();
			long began = System.nanoTime();
			long end = began + seconds * 1_000_000_000L;
			try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
				List<Future<?>> running = new ArrayList<>();
				for (int c = 0; c < clients; c++) {
					int port = ports.get(c % ports.size());
					running.add(pool.submit(() -> {
						HttpRequest request = HttpRequest
							.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
							.header("Authorization", "Bearer " + key)
							.header("Content-Type", "application/json")
							.POST(HttpRequest.BodyPublishers.ofString(
									"{\"model\":\"bench-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
							.build();
						while (System.nanoTime() < end) {
							int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
							(status == 200 ? allowed : status == 429 ? refused : failed).incrementAndGet();
						}
						return null;
					}));
				}
				for (Future<?> client : running) {
					client.get();
				}
			}
			double elapsed = (System.nanoTime() - began) / 1e9;
			double limit = rpm + rpm * elapsed / 60.0;
			String line = String.format(
					"%s nodes=%d rpm=%d clients=%d seconds=%.1f requests=%d allowed=%d refused=%d failed=%d "
							+ "most-allowed=%.1f overshoot=%.2f%%",
					Instant.now(), nodes, rpm, clients, elapsed, allowed.get() + refused.get() + failed.get(),
					allowed.get(), refused.get(), failed.get(), limit, (allowed.get() / limit - 1) * 100);
			System.out.println(line);
			Files.writeString(Path.of("bench/results-cluster-limits.log"), line + System.lineSeparator(),
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		System.exit(0);
	}

	private static String newKey(Cluster cluster, int rpm) {
		WebSession admin = new WebSession(Cluster.port(cluster.node(0)));
		admin.get("/setup");
		admin.postForm("/setup", Map.of("username", "admin", "displayName", "Admin", "password", "admin-password-1",
				"passwordAgain", "admin-password-1"));
		admin.get("/api-keys");
		String page = admin.postForm("/api-keys", Map.of("name", "bench", "requestsPerMinute", Integer.toString(rpm)))
			.body();
		Matcher key = NEW_KEY.matcher(page);
		if (!key.find()) {
			throw new IllegalStateException("no key on the page:\n" + page);
		}
		return key.group(1);
	}

}
