package io.switchboard.channel.serverless;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.switchboard.fakes.FakeLine;
import io.switchboard.testsupport.Dynalite;
import io.switchboard.testsupport.DynamoTrace;

/**
 * The warm worker turn of {@link LambdaBench} alone, for working on it: {@code --warm}
 * turns of ten returning users timed (the worker's p50 and p99, and how much of it was
 * DynamoDB), then one more turn's DynamoDB requests listed in order with the store
 * methods that made them. Run as LambdaBench is, e.g.
 * {@code java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" io.switchboard.channel.serverless.LambdaTrips --warm 100}.
 */
public final class LambdaTrips {

	public static void main(String[] args) throws Exception {
		int warm = args.length > 1 ? Integer.parseInt(args[1]) : 100;
		Dynalite.requireOrSkip();
		Path folder = Files.createTempDirectory("lambda-trips");
		try (LambdaRig rig = new LambdaRig(folder,
				Map.of("logging.level.root", "warn", "logging.level.io.switchboard", "warn",
						"switchboard.storage.dynamodb.create-table", "false",
						"logging.level.org.springframework.cloud.function", "error"),
				false)) {
			rig.model.reply("ok");
			Dynalite.createTable(rig.table);
			rig.startWebhook();
			rig.startWorker();
			String[] regulars = new String[10];
			Arrays.setAll(regulars, i -> LambdaRig.newUser());
			for (String regular : regulars) {
				turn(rig, regular, "first");
			}
			long[] worker = new long[warm];
			long[] dynamo = new long[warm];
			int[] count = new int[warm];
			for (int i = 0; i < warm; i++) {
				String body = FakeLine.body(rig.line.text(FakeLine.user(regulars[i % regulars.length]), "warm " + i));
				rig.post(body);
				DynamoTrace.start();
				long started = System.nanoTime();
				rig.pollOnce(LambdaRig.QUEUE);
				worker[i] = System.nanoTime() - started;
				List<DynamoTrace.Trip> trips = DynamoTrace.stop();
				dynamo[i] = trips.stream().mapToLong(DynamoTrace.Trip::nanos).sum();
				count[i] = trips.size();
			}
			System.out.printf(
					"warm (%d): worker p50 %.1f ms, p99 %.1f ms; DynamoDB in it p50 %.1f ms, p99 %.1f ms;"
							+ " requests p50 %d, max %d%n",
					warm, percentile(worker, 50), percentile(worker, 99), percentile(dynamo, 50),
					percentile(dynamo, 99), at(Arrays.stream(count).asLongStream().toArray(), 50),
					Arrays.stream(count).max().orElse(0));
			String body = FakeLine.body(rig.line.text(FakeLine.user(regulars[0]), "traced"));
			rig.post(body);
			DynamoTrace.start();
			long started = System.nanoTime();
			rig.pollOnce(LambdaRig.QUEUE);
			long took = System.nanoTime() - started;
			List<DynamoTrace.Trip> trips = DynamoTrace.stop();
			int i = 0;
			for (DynamoTrace.Trip trip : trips) {
				System.out.printf("%2d %-12s %5.1f ms %s  %s%n", ++i, trip.operation(), trip.nanos() / 1e6,
						trip.thread(), trip.callers());
			}
			System.out.printf("traced turn: %.1f ms, %d requests, %.1f ms in DynamoDB%n", took / 1e6, trips.size(),
					trips.stream().mapToLong(DynamoTrace.Trip::nanos).sum() / 1e6);
		}
		System.exit(0);
	}

	private static void turn(LambdaRig rig, String user, String text) {
		rig.post(FakeLine.body(rig.line.text(FakeLine.user(user), text)));
		rig.pollOnce(LambdaRig.QUEUE);
	}

	private static double percentile(long[] nanos, int percentile) {
		return at(nanos, percentile) / 1e6;
	}

	private static long at(long[] values, int percentile) {
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
	}

}
