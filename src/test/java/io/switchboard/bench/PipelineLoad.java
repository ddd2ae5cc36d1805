package io.switchboard.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.fakes.FakeLine;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.FakeSlack;
import io.switchboard.testsupport.Postgres;

/**
 * The channel pipeline under load, as users feel it (docs/benchmarks.md, "Channel
 * pipeline"): the server runs as its own process (the built jar) on SQLite or PostgreSQL;
 * this process plays LINE or Slack (the protocol-faithful fakes) and the model (a fake
 * OpenAI server that takes {@code --model-seconds} to answer), sends one message a user
 * at a steady rate, and measures for each the time from sending the webhook to the answer
 * reaching the fake platform, the webhook's own response time, whether LINE's answer went
 * by reply token or push, and answers lost or sent twice. The server's CPU, threads and
 * resident memory are sampled from /proc, its heap with jcmd.
 *
 * <pre>
 * bench/pipeline.sh --platform line --rate 500 --seconds 60 --model-seconds 5 --database sqlite
 * </pre>
 */
public final class PipelineLoad {

	private final Map<String, String> options;

	private final String platform;

	private final int rate;

	private final int seconds;

	private final double modelSeconds;

	private final String database;

	/**
	 * Seconds of load at the full rate before the measured seconds, in one unbroken
	 * stream: a node that has been serving for a while, its JIT warm and its pools grown.
	 * Their messages count for lost and twice; their times are shown apart.
	 */
	private final int leadInSeconds;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private PipelineLoad(Map<String, String> options) {
		this.options = options;
		this.platform = options.getOrDefault("platform", "line");
		this.rate = Integer.parseInt(options.getOrDefault("rate", "500"));
		this.seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
		this.modelSeconds = Double.parseDouble(options.getOrDefault("model-seconds", "5"));
		this.database = options.getOrDefault("database", "sqlite");
		this.leadInSeconds = Integer.parseInt(options.getOrDefault("lead-in-seconds", "0"));
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		new PipelineLoad(options).run();
		System.exit(0);
	}

	/** One message sent: by whom, when, and how its webhook was answered. */
	private record Sent(String user, long atNanos, long ackNanos, int status) {
	}

	private void run() throws Exception {
		Path jar = Path.of(options.getOrDefault("jar", "target/switchboard.jar"));
		try (FakeOpenAi model = FakeOpenAi.start("sk-bench");
				FakeLine line = FakeLine.start("bench-secret", "bench-token");
				FakeSlack slack = new FakeSlack()) {
			model.firstByteDelay(Duration.ofMillis((long) (modelSeconds * 1000)));
			int port = freePort();
			Path work = Files.createTempDirectory("switchboard-pipeline-bench");
			List<String> command = new ArrayList<>(List.of(javaCommand()));
			// JVM options for the server, e.g. --server-jvm "-Xmx512m"
			for (String option : options.getOrDefault("server-jvm", "").split("\\s+")) {
				if (!option.isBlank()) {
					command.add(option);
				}
			}
			command.addAll(List.of("-jar", jar.toString()));
			command.addAll(settings(port, work, model, line, slack));
			Process server = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(work.resolve("server.log").toFile())
				.start();
			try {
				awaitUp(port, server);
				Platform driver = platform.equals("slack") ? new SlackDriver(slack, port) : new LineDriver(line, port);
				// a first warm-up of the JIT and the pools, not measured
				// (--lead-in-seconds
				// adds a longer one at the full rate, in the measured stream)
				measure(driver, Math.max(20, rate / 20), 5, false, server);
				Map<String, Object> results = measure(driver, rate * (leadInSeconds + seconds) / 60,
						leadInSeconds + seconds, true, server);
				print(results, work);
			}
			finally {
				server.destroy();
				if (!server.waitFor(30, TimeUnit.SECONDS)) {
					server.destroyForcibly();
				}
			}
		}
	}

	private Map<String, Object> measure(Platform driver, int count, int overSeconds, boolean report, Process server)
			throws Exception {
		String run = UUID.randomUUID().toString().substring(0, 6);
		List<String> users = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			users.add(driver.newUser(run, i));
		}
		long interval = TimeUnit.SECONDS.toNanos(overSeconds) / Math.max(1, count);
		List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
		Sampler sampler = new Sampler(server.pid());
		Thread sampling = Thread.ofVirtual().start(sampler);
		long start = System.nanoTime();
		try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < count; i++) {
				long slot = start + i * interval;
				long wait = slot - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
				String user = users.get(i);
				senders.execute(() -> {
					long at = System.nanoTime();
					int status = driver.send(user, "Question " + run + " from " + user);
					sent.add(new Sent(user, at, System.nanoTime() - at, status));
				});
			}
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) modelSeconds + 90);
		while (System.nanoTime() < deadline && driver.answered(users) < count) {
			Thread.sleep(200);
		}
		sampler.stop();
		sampling.join();
		if (!report) {
			return Map.of();
		}
		long measuredFrom = start + TimeUnit.SECONDS.toNanos(leadInSeconds);
		List<Sent> leadIn = sent.stream().filter(one -> one.atNanos() < measuredFrom).toList();
		List<Sent> measured = sent.stream().filter(one -> one.atNanos() >= measuredFrom).toList();
		int leadInLost = 0;
		int leadInTwice = 0;
		List<Double> leadInAcks = new ArrayList<>();
		for (Sent one : leadIn) {
			leadInAcks.add(one.ackNanos() / 1e6);
			int answers = driver.answers(one.user()).size();
			leadInLost += answers == 0 ? 1 : 0;
			leadInTwice += answers > 1 ? 1 : 0;
		}
		Collections.sort(leadInAcks);
		// the slowest webhook of each second, to see when a tail happened
		if (System.getenv("PIPELINE_DEBUG") != null) {
			double[] worst = new double[leadInSeconds + seconds + 1];
			for (Sent one : sent) {
				int second = (int) Math.min(worst.length - 1, (one.atNanos() - start) / 1_000_000_000L);
				worst[second] = Math.max(worst[second], one.ackNanos() / 1e6);
			}
			System.err.println("[debug] worst webhook per second: " + Arrays.toString(worst));
		}
		List<Double> waits = new ArrayList<>();
		List<Double> acks = new ArrayList<>();
		int lost = 0;
		int twice = 0;
		int byReply = 0;
		int failedWebhooks = 0;
		for (Sent one : measured) {
			acks.add(one.ackNanos() / 1e6);
			if (one.status() != 200) {
				failedWebhooks++;
			}
			List<Answer> answers = driver.answers(one.user());
			if (answers.isEmpty()) {
				lost++;
				continue;
			}
			if (answers.size() > 1) {
				twice++;
			}
			Answer first = answers.getFirst();
			waits.add((first.atNanos() - one.atNanos()) / 1e6);
			if (first.byReply()) {
				byReply++;
			}
		}
		Collections.sort(waits);
		Collections.sort(acks);
		Map<String, Object> results = new LinkedHashMap<>();
		results.put("platform", platform);
		results.put("database", database);
		results.put("rate", rate + " messages/min from " + measured.size() + " users over " + seconds + " s"
				+ (leadInSeconds > 0 ? " (after " + leadIn.size() + " in a " + leadInSeconds + " s lead-in)" : ""));
		results.put("model", modelSeconds + " s an answer");
		results.put("sent", measured.size());
		results.put("webhook errors", failedWebhooks);
		results.put("answered", measured.size() - lost);
		results.put("lost", lost);
		results.put("answered twice", twice);
		if (platform.equals("line")) {
			results.put("by reply token", byReply + " of " + (measured.size() - lost));
		}
		results.put("wait p50 / p90 / p99 / max (ms)", String.format(Locale.ROOT, "%.0f / %.0f / %.0f / %.0f",
				pct(waits, 50), pct(waits, 90), pct(waits, 99), pct(waits, 100)));
		results.put("webhook response p50 / p99 / max (ms)",
				String.format(Locale.ROOT, "%.1f / %.1f / %.1f", pct(acks, 50), pct(acks, 99), pct(acks, 100)));
		// the webhook's p99 in each tenth of the run: a tail from warming up (the JIT)
		// shows
		// in the first windows, one from contention anywhere
		StringBuilder windows = new StringBuilder();
		long first = measured.stream().mapToLong(Sent::atNanos).min().orElse(0);
		long last = measured.stream().mapToLong(Sent::atNanos).max().orElse(0);
		long width = Math.max(1, (last - first) / 10 + 1);
		for (int window = 0; window < 10; window++) {
			long from = first + window * width;
			List<Double> inWindow = new ArrayList<>();
			for (Sent one : measured) {
				if (one.atNanos() >= from && one.atNanos() < from + width) {
					inWindow.add(one.ackNanos() / 1e6);
				}
			}
			Collections.sort(inWindow);
			windows.append(window == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.0f", pct(inWindow, 99)));
		}
		results.put("webhook p99 in each tenth of the run (ms)", windows.toString());
		if (leadInSeconds > 0) {
			results.put("lead-in: lost / twice / webhook p99 (ms)",
					leadInLost + " / " + leadInTwice + " / " + String.format(Locale.ROOT, "%.1f", pct(leadInAcks, 99)));
		}
		results.put("server CPU (% of one core, mean / peak 1 s)", sampler.cpu());
		results.put("server threads (peak)", sampler.threads);
		results.put("server heap used (peak MB)", sampler.heapMb);
		results.put("server resident memory (peak MB)", sampler.rssMb);
		// other work on the machine shows here: runs on a busy machine are not comparable
		results.put("machine load (1-min average at the end)", loadAverage());
		return results;
	}

	private static double pct(List<Double> sorted, int percentile) {
		if (sorted.isEmpty()) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.clamp(index, 0, sorted.size() - 1));
	}

	private void print(Map<String, Object> results, Path work) throws IOException {
		StringBuilder text = new StringBuilder("\n[pipeline] ").append(Instant.now()).append('\n');
		results.forEach((name, value) -> text.append(String.format(Locale.ROOT, "  %-46s %s%n", name, value)));
		System.out.print(text);
		Path log = Path.of(options.getOrDefault("log", "bench/results-pipeline.log"));
		Files.writeString(log, text.toString(), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
				java.nio.file.StandardOpenOption.APPEND);
		System.out.println("  (server log: " + work.resolve("server.log") + ")");
	}

	// ---------------------------------------------------------------- server

	private List<String> settings(int port, Path work, FakeOpenAi model, FakeLine line, FakeSlack slack) {
		List<String> settings = new ArrayList<>();
		if (database.equals("postgresql")) {
			settings.add("--spring.datasource.url=" + Postgres.newSchema());
			settings.add("--spring.datasource.username=" + Postgres.USER);
			settings.add("--spring.datasource.password=");
		}
		else {
			settings.add("--spring.datasource.url=jdbc:sqlite:" + work.resolve("bench.db"));
		}
		settings.addAll(List.of("--server.port=" + port, "--spring.main.banner-mode=off", "--logging.level.root=WARN",
				"--switchboard.llm.providers.bench.type=openai",
				"--switchboard.llm.providers.bench.base-url=" + model.baseUrl(),
				"--switchboard.llm.providers.bench.api-key=" + model.apiKey(),
				"--switchboard.llm.providers.bench.max-concurrent=" + options.getOrDefault("max-concurrent", "1000"),
				"--switchboard.llm.models.bench-model.provider=bench",
				"--switchboard.llm.models.bench-model.upstream-model=gpt-4o-mini",
				"--switchboard.llm.default-model=bench-model",
				"--switchboard.line.channel-secret=" + line.channelSecret(),
				"--switchboard.line.channel-access-token=" + line.accessToken(),
				"--switchboard.line.api-base-url=" + line.uri(), "--switchboard.line.data-api-base-url=" + line.uri(),
				"--switchboard.media.public-base-url=https://bench.example.com",
				"--switchboard.slack.bot-token=" + FakeSlack.BOT_TOKEN,
				"--switchboard.slack.signing-secret=" + FakeSlack.SIGNING_SECRET,
				"--switchboard.slack.api-url=" + slack.apiUrl()));
		// more server settings, e.g. --server-settings
		// "spring.datasource.hikari.maximum-pool-size=1"
		for (String extra : options.getOrDefault("server-settings", "").split("\\s+")) {
			if (!extra.isBlank()) {
				settings.add("--" + extra);
			}
		}
		return settings;
	}

	private void awaitUp(int port, Process server) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (System.nanoTime() < deadline) {
			if (!server.isAlive()) {
				throw new IllegalStateException("the server stopped while starting");
			}
			try {
				HttpResponse<String> health = http.send(
						HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
						HttpResponse.BodyHandlers.ofString());
				if (health.statusCode() == 200 && health.body().contains("UP")) {
					return;
				}
			}
			catch (IOException notYet) {
				// still starting
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException("the server did not start within 120 s");
	}

	private static String javaCommand() {
		String home = System.getProperty("java.home");
		return Path.of(home, "bin", "java").toString();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	// -------------------------------------------------------------- platforms

	/** An answer as the platform took it. */
	private record Answer(long atNanos, boolean byReply) {
	}

	private interface Platform {

		String newUser(String run, int index);

		/** Sends one message; returns the webhook's HTTP status. */
		int send(String user, String text);

		List<Answer> answers(String user);

		default int answered(List<String> users) {
			int answered = 0;
			for (String user : users) {
				if (!answers(user).isEmpty()) {
					answered++;
				}
			}
			return answered;
		}

	}

	private static final class LineDriver implements Platform {

		private final FakeLine line;

		private final URI webhook;

		LineDriver(FakeLine line, int port) {
			this.line = line;
			this.webhook = URI.create("http://127.0.0.1:" + port + "/line/webhook");
		}

		@Override
		public String newUser(String run, int index) {
			return "U" + run + String.format("%026d", index);
		}

		@Override
		public int send(String user, String text) {
			return line.deliver(webhook, FakeLine.body(line.text(FakeLine.user(user), text))).statusCode();
		}

		@Override
		public List<Answer> answers(String user) {
			return line.sentTo(user)
				.stream()
				.map(sent -> new Answer(sent.atNanos(), sent.how().equals("reply")))
				.toList();
		}

	}

	private static final class SlackDriver implements Platform {

		private final FakeSlack slack;

		private final URI events;

		private final Map<String, String> ts = new ConcurrentHashMap<>();

		SlackDriver(FakeSlack slack, int port) {
			this.slack = slack;
			this.events = URI.create("http://127.0.0.1:" + port + "/slack/events");
		}

		@Override
		public String newUser(String run, int index) {
			return "U" + run.toUpperCase(Locale.ROOT) + index;
		}

		@Override
		public int send(String user, String text) {
			String at = (System.currentTimeMillis() / 1000) + "."
					+ String.format("%06d", Math.abs(user.hashCode()) % 1_000_000);
			ts.put(user, at);
			ObjectNode event = FakeSlack.message("D" + user.substring(1), "im", user, text, at, null);
			return slack
				.deliverEvent(events, "Ev" + UUID.randomUUID().toString().replace("-", "").substring(0, 12), event,
						null)
				.status();
		}

		/** The answer is there once the bot's message reads as the model's text. */
		@Override
		public List<Answer> answers(String user) {
			List<Answer> answers = new ArrayList<>();
			for (FakeSlack.Message message : slack.messages("D" + user.substring(1))) {
				for (FakeSlack.Version version : message.versions()) {
					if (version.text().startsWith("Echo:")) {
						answers.add(new Answer(version.atNanos(), false));
						break;
					}
				}
			}
			return answers;
		}

	}

	// ------------------------------------------------------------------ /proc

	/** Samples the server's CPU time, threads, memory and heap once a second. */
	private static final class Sampler implements Runnable {

		private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

		private final long pid;

		private volatile boolean running = true;

		volatile int threads;

		volatile long rssMb;

		volatile long heapMb;

		private final List<Double> cpu = Collections.synchronizedList(new ArrayList<>());

		private long firstTicks = -1;

		private long firstNanos;

		private long lastTicks;

		private long lastNanos;

		Sampler(long pid) {
			this.pid = pid;
		}

		@Override
		public void run() {
			int round = 0;
			while (running) {
				try {
					sample(round++ % 5 == 0);
					Thread.sleep(1000);
				}
				catch (InterruptedException interrupted) {
					return;
				}
				catch (IOException | RuntimeException unreadable) {
					// the process went away
					return;
				}
			}
		}

		private void sample(boolean heap) throws IOException {
			String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
			long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
			long now = System.nanoTime();
			if (firstTicks < 0) {
				firstTicks = ticks;
				firstNanos = now;
			}
			else {
				cpu.add((ticks - lastTicks) / 100.0 / ((now - lastNanos) / 1e9) * 100);
			}
			lastTicks = ticks;
			lastNanos = now;
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
				if (line.startsWith("Threads:")) {
					threads = Math.max(threads, Integer.parseInt(line.replaceAll("\\D", "")));
				}
				if (line.startsWith("VmRSS:")) {
					rssMb = Math.max(rssMb, Long.parseLong(line.replaceAll("\\D", "")) / 1024);
				}
			}
			if (heap) {
				try {
					Process jcmd = new ProcessBuilder(
							Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid),
							"GC.heap_info")
						.redirectErrorStream(true)
						.start();
					String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
					Matcher used = HEAP_USED.matcher(out);
					if (used.find()) {
						heapMb = Math.max(heapMb, Long.parseLong(used.group(1)) / 1024);
					}
				}
				catch (IOException noJcmd) {
					// no jcmd: heap not reported
				}
			}
		}

		void stop() {
			running = false;
		}

		String cpu() {
			if (cpu.isEmpty()) {
				return "n/a";
			}
			double mean = (lastTicks - firstTicks) / 100.0 / ((lastNanos - firstNanos) / 1e9) * 100;
			double peak = cpu.stream().mapToDouble(Double::doubleValue).max().orElse(0);
			return String.format(Locale.ROOT, "%.0f%% / %.0f%%", mean, peak);
		}

	}

	static List<String> split(String text) {
		return Arrays.asList(text.split(","));
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException | RuntimeException unavailable) {
			return "n/a";
		}
	}

}
