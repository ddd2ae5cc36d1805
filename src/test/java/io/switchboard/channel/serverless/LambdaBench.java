package io.switchboard.channel.serverless;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.fakes.FakeLine;
import io.switchboard.fakes.FakeSqs;
import io.switchboard.fakes.Json;
import io.switchboard.testsupport.Dynalite;

/**
 * The serverless edition's sizing (docs/benchmarks.md, "Serverless edition"): the two
 * functions started as Lambda starts them, against dynalite and the fakes, in a fresh JVM
 * per run ({@code bench/lambda.sh} runs it with and without priming).
 *
 * <ol>
 * <li>cold start: each function in a child JVM of its own ({@link LambdaColdStart}), as
 * in a fresh container, from JVM start to its first answer (the webhook's 200 to a signed
 * LINE event, then the worker's reply at the fake LINE to the SQS event for what the
 * webhook queued), and from starting its process, which adds the JVM's boot; with
 * {@code --prime}, SnapStart's priming runs before the first call, as it would before the
 * snapshot (restoring the snapshot itself cannot be measured here);</li>
 * <li>warm: both functions started in this JVM and called once, then {@code --warm}
 * webhook calls and worker turns one after another, with an instant model: the webhook's
 * duration and the worker's (which, with a model that answers at once, is its overhead
 * besides the model);</li>
 * <li>load: {@code --rate} events a minute for {@code --seconds} through the webhook, the
 * worker draining the queue alongside; every user must get exactly one answer.</li>
 * </ol>
 */
public final class LambdaBench {

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new java.util.HashMap<>(Map.of("--prime", "false", "--warm", "200", "--rate",
				"500", "--seconds", "60", "--pollers", "4", "--webhook-cold-starts", "1", "--cold-only", "false"));
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i], args[i + 1]);
		}
		boolean prime = Boolean.parseBoolean(options.get("--prime"));
		Dynalite.requireOrSkip();
		Path folder = Files.createTempDirectory("lambda-bench");
		try (LambdaRig rig = new LambdaRig(folder, Map.of("logging.level.root", "warn", "logging.level.io.switchboard",
				"warn", "switchboard.storage.dynamodb.create-table", "false"), false)) {
			rig.model.reply("ok");
			// a deployment's table exists before any function starts (the template makes
			// it)
			Dynalite.createTable(rig.table);
			// ------------------------------------------------------------- cold
			// each function in a JVM of its own, as in a fresh container: this one has
			// started the fakes and the SDK (for the table), which would flatter them
			String coldUser = user();
			ColdStart webhookCold = coldStart("webhook", rig.webhookSettings(),
					rig.webhookEvent(FakeLine.body(rig.line.text(FakeLine.user(coldUser), "first"))), folder, prime);
			check(Integer.parseInt(webhookCold.result().status()));
			List<FakeSqs.Message> received = rig.sqs.receive(LambdaRig.QUEUE, 10, Duration.ofSeconds(60));
			if (received.isEmpty()) {
				throw new IllegalStateException("the webhook answered 200 but queued nothing");
			}
			ColdStart workerCold = coldStart("worker", rig.workerSettings(), rig.sqsEvent(LambdaRig.QUEUE, received),
					folder, prime);
			String failures = workerCold.result().status();
			rig.settle(LambdaRig.QUEUE, received, failures.equals("none") ? Json.array() : Json.read(failures));
			int answered = rig.line.sentTo(coldUser).size();
			System.out.printf(
					"cold (priming %s, a fresh JVM each): webhook JVM start to ready %d ms, priming %d ms, first call %d ms,"
							+ " JVM start to first 200 %d ms (processor time %d ms), process start to first 200 %d ms;"
							+ " worker JVM start to ready %d ms, priming %d ms, first turn %d ms,"
							+ " JVM start to first answer %d ms, process start to first answer %d ms;"
							+ " batch item failures %s, answers at LINE %d%n",
					prime ? "on" : "off", webhookCold.result().ready(), webhookCold.result().priming(),
					webhookCold.result().firstCall(), webhookCold.result().firstAnswer(), webhookCold.result().cpu(),
					webhookCold.wall(), workerCold.result().ready(), workerCold.result().priming(),
					workerCold.result().firstCall(), workerCold.result().firstAnswer(), workerCold.wall(),
					workerCold.result().status(), answered);
			if (answered != 1) {
				throw new IllegalStateException("the worker's cold turn answered " + answered + " times");
			}
			// more webhook starts, each in a fresh JVM, for a range rather than one
			// figure; with COLD_JVM_OPTIONS_B, every other start has those options
			// instead, so that the two are compared in one run, on the same machine's
			// same moment
			int moreColdStarts = Integer.parseInt(options.get("--webhook-cold-starts")) - 1;
			Map<String, List<ColdStart>> variants = new java.util.LinkedHashMap<>();
			variants.put(COLD_OPTIONS, new ArrayList<>(List.of(webhookCold)));
			String optionsB = System.getenv("COLD_JVM_OPTIONS_B");
			for (int i = 0; i < moreColdStarts; i++) {
				String variant = optionsB != null && i % 2 == 0 ? optionsB : COLD_OPTIONS;
				ColdStart again = coldStart("webhook", rig.webhookSettings(),
						rig.webhookEvent(FakeLine.body(rig.line.text(FakeLine.user(user()), "first"))), folder, prime,
						variant);
				check(Integer.parseInt(again.result().status()));
				variants.computeIfAbsent(variant, key -> new ArrayList<>()).add(again);
			}
			// what they queued is no part of the warm phase
			rig.sqs.purge(LambdaRig.QUEUE);
			if (moreColdStarts > 0) {
				variants.forEach((variant, starts) -> System.out.printf(
						"cold webhook (%d fresh JVMs, options '%s'): JVM start to first 200 %s ms;"
								+ " processor time to first 200 %s ms%n",
						starts.size(), variant,
						spread(starts.stream().map(start -> start.result().firstAnswer()).toList()),
						spread(starts.stream().map(start -> start.result().cpu()).toList())));
			}
			if (Boolean.parseBoolean(options.get("--cold-only"))) {
				System.exit(0);
			}

			// the warm and load phases run both functions in this JVM, each started,
			// primed if asked and called once untimed, as the cold phase left them when
			// it ran here too
			rig.startWebhook();
			rig.startWorker();
			if (prime) {
				Priming.primeAll();
			}
			check(rig.post(FakeLine.body(rig.line.text(FakeLine.user(user()), "first"))).path("statusCode").asInt());
			rig.pollOnce(LambdaRig.QUEUE);

			// ------------------------------------------------------------- warm
			int warm = Integer.parseInt(options.get("--warm"));
			long[] webhook = new long[warm];
			long[] worker = new long[warm];
			io.switchboard.storage.Capacity before = Priming.consumed();
			// ten users who keep talking: a returning user's turns, in a session that
			// grows
			String[] regulars = new String[10];
			Arrays.setAll(regulars, i -> user());
			for (int i = 0; i < warm; i++) {
				String body = FakeLine.body(rig.line.text(FakeLine.user(regulars[i % regulars.length]), "warm " + i));
				long started = System.nanoTime();
				check(rig.post(body).path("statusCode").asInt());
				webhook[i] = System.nanoTime() - started;
				started = System.nanoTime();
				rig.pollOnce(LambdaRig.QUEUE);
				worker[i] = System.nanoTime() - started;
			}
			io.switchboard.storage.Capacity units = Priming.consumed().minus(before);
			System.out.printf(
					"warm (%d): webhook p50 %.1f ms, p99 %.1f ms; worker p50 %.1f ms, p99 %.1f ms;"
							+ " DynamoDB per turn (webhook + worker, a returning user) %.1f read, %.1f write units%n",
					warm, percentile(webhook, 50), percentile(webhook, 99), percentile(worker, 50),
					percentile(worker, 99), units.readUnits() / warm, units.writeUnits() / warm);

			// ------------------------------------------------------------- load
			int rate = Integer.parseInt(options.get("--rate"));
			int seconds = Integer.parseInt(options.get("--seconds"));
			int events = rate * seconds / 60;
			int sentBefore = rig.line.sent().size();
			Set<String> users = ConcurrentHashMap.newKeySet();
			AtomicBoolean posting = new AtomicBoolean(true);
			ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor();
			for (int p = 0; p < Integer.parseInt(options.get("--pollers")); p++) {
				pollers.submit(() -> {
					while (posting.get() || !rig.sqs.messages(LambdaRig.QUEUE).isEmpty()) {
						if (rig.pollOnce(LambdaRig.QUEUE).isEmpty()) {
							Thread.sleep(20);
						}
					}
					return null;
				});
			}
			ExecutorService posters = Executors.newVirtualThreadPerTaskExecutor();
			long every = TimeUnit.MINUTES.toNanos(1) / rate;
			long start = System.nanoTime();
			for (int i = 0; i < events; i++) {
				long due = start + i * every;
				long wait = due - System.nanoTime();
				if (wait > 0) {
					Thread.sleep(Duration.ofNanos(wait));
				}
				String user = user();
				users.add(user);
				String body = FakeLine.body(rig.line.text(FakeLine.user(user), "load " + i));
				posters.submit(() -> check(rig.post(body).path("statusCode").asInt()));
			}
			posters.shutdown();
			posters.awaitTermination(5, TimeUnit.MINUTES);
			posting.set(false);
			pollers.shutdown();
			pollers.awaitTermination(10, TimeUnit.MINUTES);
			long took = System.nanoTime() - start;
			int answers = 0;
			int twice = 0;
			for (String user : users) {
				int got = rig.line.sentTo(user).size();
				answers += Math.min(got, 1);
				twice += Math.max(0, got - 1);
			}
			System.out.printf(
					"load: %d events at %d a minute, all answered after %.1f s: %d users answered, %d lost, %d answered twice;"
							+ " queue %d left, dead letters %d; LINE calls %d%n",
					events, rate, took / 1e9, answers, events - answers, twice,
					rig.sqs.messages(LambdaRig.QUEUE).size(), rig.sqs.messages(LambdaRig.QUEUE + "-dlq").size(),
					rig.line.sent().size() - sentBefore);
			if (events != answers || twice > 0) {
				System.exit(1);
			}
		}
		System.exit(0);
	}

	/**
	 * A cold start in a child JVM and the wall time from starting its process to its
	 * {@link LambdaColdStart.Result} line, which includes the JVM's own boot.
	 */
	private record ColdStart(LambdaColdStart.Result result, long wall) {
	}

	/**
	 * Starts a function in a JVM of its own ({@link LambdaColdStart}) with its settings
	 * and invokes it once with this event: the JVM and the classpath of this one, with
	 * the deployment's {@code JAVA_TOOL_OPTIONS}.
	 */
	private static ColdStart coldStart(String function, Map<String, String> settings, JsonNode event, Path folder,
			boolean prime) throws Exception {
		return coldStart(function, settings, event, folder, prime, COLD_OPTIONS);
	}

	/**
	 * JVM options a cold start adds to the deployment's, to look into it: e.g.
	 * {@code COLD_JVM_OPTIONS='-Xlog:class+load:file=/tmp/classes-%p.log:uptime'}.
	 */
	private static final String COLD_OPTIONS = System.getenv().getOrDefault("COLD_JVM_OPTIONS", "").strip();

	private static ColdStart coldStart(String function, Map<String, String> settings, JsonNode event, Path folder,
			boolean prime, String moreOptions) throws Exception {
		ProcessBuilder builder = FunctionContainer.process(function, settings, event, folder, moreOptions,
				coldClasspath(), prime);
		long started = System.nanoTime();
		Process process = builder.start();
		LambdaColdStart.Result result = null;
		long wall = 0;
		try (BufferedReader out = process.inputReader()) {
			for (String line = out.readLine(); line != null; line = out.readLine()) {
				Optional<LambdaColdStart.Result> parsed = LambdaColdStart.Result.parse(line);
				if (parsed.isPresent() && result == null) {
					wall = ms(System.nanoTime() - started);
					result = parsed.get();
				}
				else {
					// the function's own output, kept apart from the figures
					System.err.println(line);
				}
			}
		}
		// its output ends as it exits; the next child starts once it is gone
		if (!process.waitFor(2, TimeUnit.MINUTES)) {
			process.destroyForcibly();
		}
		if (result == null) {
			throw new IllegalStateException("the " + function + "'s cold start printed no result (exit "
					+ (process.isAlive() ? "none" : process.exitValue()) + ")");
		}
		return new ColdStart(result, wall);
	}

	/**
	 * The child's classpath: with {@code -Dlambda.package=DIR} (what
	 * {@code bench/lambda.sh} gives: the deployment's zip unpacked) exactly what Lambda's
	 * Java runtime loads, the classes at its root and every jar in its {@code lib/}, and
	 * {@link LambdaColdStart} alone; the test classpath would add the tests' libraries
	 * (the OpenAI client brings Kotlin's reflection, which Spring and Jackson then use:
	 * some 1,400 classes more) and their SDK interceptor to the function's start. Without
	 * it, this JVM's classpath.
	 */
	private static String coldClasspath() throws java.io.IOException {
		String deployment = System.getProperty("lambda.package");
		if (deployment == null) {
			return System.getProperty("java.class.path");
		}
		Path tests;
		try {
			tests = Path.of(LambdaColdStart.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (java.net.URISyntaxException impossible) {
			throw new IllegalStateException(impossible);
		}
		String packagePath = LambdaColdStart.class.getPackageName().replace('.', '/');
		Path alone = Files.createTempDirectory("cold-start");
		Files.createDirectories(alone.resolve(packagePath));
		try (var found = Files.list(tests.resolve(packagePath))) {
			for (Path file : found.filter(file -> file.getFileName().toString().startsWith("LambdaColdStart"))
				.toList()) {
				Files.copy(file, alone.resolve(packagePath).resolve(file.getFileName()));
			}
		}
		List<String> entries = new ArrayList<>(List.of(alone.toString(), deployment));
		try (var jars = Files.list(Path.of(deployment, "lib"))) {
			jars.map(Path::toString).sorted().forEach(entries::add);
		}
		return String.join(java.io.File.pathSeparator, entries);
	}

	/** min, median and max, then each figure as measured */
	private static String spread(List<Long> figures) {
		List<Long> sorted = figures.stream().sorted().toList();
		return "min " + sorted.get(0) + ", median " + sorted.get(sorted.size() / 2) + ", max "
				+ sorted.get(sorted.size() - 1) + " " + figures;
	}

	private static void check(int status) {
		if (status != 200) {
			throw new IllegalStateException("the webhook answered " + status);
		}
	}

	private static String user() {
		return LambdaRig.newUser();
	}

	private static long ms(long nanos) {
		return nanos / 1_000_000;
	}

	private static double percentile(long[] nanos, int percentile) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, index)] / 1e6;
	}

}
