package io.switchboard.channel.serverless;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.switchboard.fakes.FakeLine;
import io.switchboard.testsupport.Dynalite;

/**
 * The serverless edition's sizing (docs/benchmarks.md, "Serverless edition"): the two
 * functions started as Lambda starts them, against dynalite and the fakes, in a fresh JVM
 * per run ({@code bench/lambda.sh} runs it with and without priming).
 *
 * <ol>
 * <li>cold start: JVM start to the first answer of each function (the webhook's 200, the
 * worker's reply at the fake LINE); with {@code --prime}, SnapStart's priming runs before
 * the first call, as it would before the snapshot (restoring the snapshot itself cannot
 * be measured here);</li>
 * <li>warm: {@code --warm} webhook calls and worker turns one after another, with an
 * instant model: the webhook's duration and the worker's (which, with a model that
 * answers at once, is its overhead besides the model);</li>
 * <li>load: {@code --rate} events a minute for {@code --seconds} through the webhook, the
 * worker draining the queue alongside; every user must get exactly one answer.</li>
 * </ol>
 */
public final class LambdaBench {

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new java.util.HashMap<>(
				Map.of("--prime", "false", "--warm", "200", "--rate", "500", "--seconds", "60", "--pollers", "4"));
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i], args[i + 1]);
		}
		boolean prime = Boolean.parseBoolean(options.get("--prime"));
		long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
		Dynalite.requireOrSkip();
		Path folder = Files.createTempDirectory("lambda-bench");
		try (LambdaRig rig = new LambdaRig(folder, Map.of("logging.level.root", "warn", "logging.level.io.switchboard",
				"warn", "switchboard.storage.dynamodb.create-table", "false"), false)) {
			rig.model.reply("ok");
			// a deployment's table exists before any function starts (the template makes
			// it)
			Dynalite.createTable(rig.table);
			// ------------------------------------------------------------- cold
			long webhookInit = rig.startWebhook();
			long primeWebhook = 0;
			if (prime) {
				long started = System.nanoTime();
				Priming.primeAll();
				primeWebhook = System.nanoTime() - started;
			}
			long first = System.nanoTime();
			check(rig.post(FakeLine.body(rig.line.text(FakeLine.user(user()), "first"))).path("statusCode").asInt());
			long webhookFirst = System.nanoTime() - first;
			long webhookTotal = System.currentTimeMillis() - jvmStart;

			long workerInit = rig.startWorker();
			long primeWorker = 0;
			if (prime) {
				long started = System.nanoTime();
				Priming.primeAll();
				primeWorker = System.nanoTime() - started;
			}
			first = System.nanoTime();
			rig.pollOnce(LambdaRig.QUEUE);
			long workerFirst = System.nanoTime() - first;
			System.out.printf(
					"cold (priming %s): webhook init %d ms, priming %d ms, first call %d ms, JVM start to first 200 %d ms;"
							+ " worker init %d ms, priming %d ms, first turn %d ms%n",
					prime ? "on" : "off", ms(webhookInit), ms(primeWebhook), ms(webhookFirst), webhookTotal,
					ms(workerInit), ms(primeWorker), ms(workerFirst));

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

	private static void check(int status) {
		if (status != 200) {
			throw new IllegalStateException("the webhook answered " + status);
		}
	}

	private static String user() {
		return "U" + UUID.randomUUID().toString().replace("-", "");
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
