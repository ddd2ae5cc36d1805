package io.switchboard.image;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.switchboard.SwitchboardApplication;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.fakes.FakeMidjourneyProxy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A benchmark, not a test (its name keeps it out of {@code ./mvnw verify}): 1,000 image
 * jobs at once against a slow fake midjourney-proxy (each task takes a minute), to show
 * that waiting jobs hold no threads and cost almost no CPU. It prints, once a second, the
 * JVM's live (platform) thread count, the process's CPU use and the jobs by state, then a
 * summary. Run it with
 * {@code ./mvnw -B -q test -Dtest=ImageJobsBenchmark -Dbench.jobs=1000 -Dbench.work=60s}
 * (see docs/benchmarks.md).
 */
class ImageJobsBenchmark {

	static final int JOBS = Integer.getInteger("bench.jobs", 1000);

	static final Duration WORK = Duration
		.parse("PT" + System.getProperty("bench.work", "60s").toUpperCase(Locale.ROOT));

	static final int USERS = 100;

	record Sample(double second, int threads, double cpuPercent, Map<String, Long> states) {
	}

	@Test
	void thousandSlowJobs() throws Exception {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		Path data = Files.createTempDirectory("image-bench");
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		try (FakeMidjourneyProxy mj = FakeMidjourneyProxy.start(null).workTime(WORK);
				ConfigurableApplicationContext app = new SpringApplicationBuilder(SwitchboardApplication.class)
					.web(WebApplicationType.SERVLET)
					.run("--spring.profiles.active=test", "--spring.main.banner-mode=off",
							"--logging.level.io.switchboard=INFO", "--logging.level.root=WARN",
							"--spring.datasource.url=jdbc:sqlite:" + data.resolve("bench.db")
									+ "?journal_mode=WAL&busy_timeout=10000&foreign_keys=true&synchronous=NORMAL&transaction_mode=IMMEDIATE",
							"--server.port=" + port, "--switchboard.image.callback-base-url=http://127.0.0.1:" + port,
							"--switchboard.image.per-user-concurrency=1000",
							"--switchboard.image.providers.mj.type=midjourney-proxy",
							"--switchboard.image.providers.mj.base-url=" + mj.baseUrl(),
							"--switchboard.image.providers.mj.max-concurrent=" + JOBS,
							"--switchboard.image.providers.mj.max-queued=" + (JOBS * 2),
							"--switchboard.image.providers.mj.poll-interval=30s",
							"--switchboard.image.providers.mj.max-poll-interval=30s",
							"--switchboard.image.timeout=30m")) {
			ImageJobs jobs = app.getBean(ImageJobs.class);
			Conversations conversations = app.getBean(Conversations.class);
			JdbcClient jdbc = app.getBean(JdbcClient.class);
			List<User> users = new ArrayList<>();
			for (int i = 0; i < USERS; i++) {
				users.add(conversations.identify(new PlatformUserId("bench", "u" + i), "Bench " + i));
			}
			Thread.sleep(3000); // let start-up settle
			int idleThreads = threads.getThreadCount();
			double idleCpu = cpu(os, Duration.ofSeconds(3));
			System.out.printf(Locale.ROOT, "idle after start-up: %d threads, %.1f%% CPU%n", idleThreads, idleCpu);
			threads.resetPeakThreadCount();

			long start = System.nanoTime();
			try (ExecutorService submitters = Executors.newVirtualThreadPerTaskExecutor()) {
				List<Future<ImageJob>> submitted = new ArrayList<>();
				for (int i = 0; i < JOBS; i++) {
					User user = users.get(i % USERS);
					int n = i;
					submitted.add(submitters.submit(() -> jobs.imagine(user.id(), ImageRequest.of("benchmark " + n),
							new ImageOrigin(new PlatformUserId("bench", "u" + (n % USERS)), Place.direct("bench")))));
				}
				for (Future<ImageJob> future : submitted) {
					future.get();
				}
			}
			double submittedAfter = (System.nanoTime() - start) / 1e9;
			System.out.printf(Locale.ROOT, "%d jobs recorded in %.1f s%n", JOBS, submittedAfter);

			List<Sample> samples = new ArrayList<>();
			long cpuBefore = os.getProcessCpuTime();
			long wallBefore = System.nanoTime();
			while (true) {
				Thread.sleep(1000);
				long cpuNow = os.getProcessCpuTime();
				long wallNow = System.nanoTime();
				double cpuPercent = 100.0 * (cpuNow - cpuBefore) / (wallNow - wallBefore);
				cpuBefore = cpuNow;
				wallBefore = wallNow;
				Map<String, Long> states = new ConcurrentHashMap<>();
				jdbc.sql("SELECT state, COUNT(*) FROM image_jobs GROUP BY state")
					.query((row, i) -> states.put(row.getString(1), row.getLong(2)))
					.list();
				Sample sample = new Sample((wallNow - start) / 1e9, threads.getThreadCount(), cpuPercent, states);
				samples.add(sample);
				System.out.printf(Locale.ROOT, "t=%5.1fs threads=%3d cpu=%5.1f%% %s%n", sample.second(),
						sample.threads(), sample.cpuPercent(), new java.util.TreeMap<>(states));
				long finished = states.getOrDefault("succeeded", 0L) + states.getOrDefault("failed", 0L);
				if (finished >= JOBS || sample.second() > WORK.toSeconds() * 4 + 120) {
					break;
				}
			}
			long succeeded = jdbc.sql("SELECT COUNT(*) FROM image_jobs WHERE state = 'succeeded'")
				.query(Long.class)
				.single();
			// the waiting phase: every job is at the provider and none has come back
			List<Sample> waiting = samples.stream()
				.filter(s -> s.states().getOrDefault("queued", 0L) == 0 && s.states().getOrDefault("succeeded", 0L) == 0
						&& s.second() > submittedAfter + 5)
				.toList();
			System.out.println();
			System.out.println("| phase | seconds | live threads (max) | CPU, % of one core (mean) |");
			System.out.println("| --- | --- | --- | --- |");
			System.out.printf(Locale.ROOT, "| idle, before the jobs | 3 | %d | %.1f |%n", idleThreads, idleCpu);
			print("waiting at the provider", waiting);
			List<Sample> delivering = samples.stream()
				.filter(s -> s.states().getOrDefault("succeeded", 0L) > 0)
				.toList();
			print("delivering (hooks, downloads, grids)", delivering);
			System.out.printf(Locale.ROOT, "%nsucceeded: %d of %d; peak threads over the whole run: %d; total %.1f s%n",
					succeeded, JOBS, threads.getPeakThreadCount(), (System.nanoTime() - start) / 1e9);
			assertThat(succeeded).isEqualTo(JOBS);
		}
	}

	private static void print(String phase, List<Sample> samples) {
		if (samples.isEmpty()) {
			System.out.printf("| %s | 0 | - | - |%n", phase);
			return;
		}
		System.out.printf(Locale.ROOT, "| %s | %d | %d | %.1f |%n", phase, samples.size(),
				samples.stream().mapToInt(Sample::threads).max().orElse(0),
				samples.stream().mapToDouble(Sample::cpuPercent).average().orElse(0));
	}

	private static double cpu(com.sun.management.OperatingSystemMXBean os, Duration over) throws InterruptedException {
		long cpu = os.getProcessCpuTime();
		long wall = System.nanoTime();
		Thread.sleep(over.toMillis());
		return 100.0 * (os.getProcessCpuTime() - cpu) / (System.nanoTime() - wall);
	}

}
