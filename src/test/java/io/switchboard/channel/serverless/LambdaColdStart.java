package io.switchboard.channel.serverless;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * One function's cold start as Lambda sees it in a fresh container. {@link LambdaBench}
 * starts this class in a JVM of its own, with the function's settings (those
 * {@link LambdaRig} gives it) as system properties, so that nothing but the function has
 * loaded a class or opened a connection before it starts: no fakes, no SDK client of the
 * benchmark's. It starts the function as Lambda's Java runtime does
 * ({@link FunctionInvoker}), invokes it once with the event in a file and prints one
 * {@link Result} line for the parent to read.
 *
 * <pre>
 * LambdaColdStart webhook|worker EVENT_FILE [--prime]
 * </pre>
 *
 * With {@code --prime}, SnapStart's priming runs between the start and the first call, as
 * it would before the snapshot.
 */
public final class LambdaColdStart {

	private LambdaColdStart() {
	}

	public static void main(String[] args) {
		try {
			run(args);
		}
		catch (Throwable failure) {
			failure.printStackTrace();
			System.exit(1);
		}
		// the function's context holds threads that would keep this JVM, and the parent
		// reading its output, waiting
		System.exit(0);
	}

	private static void run(String[] args) throws Exception {
		String function = args[0];
		if (!function.equals("webhook") && !function.equals("worker")) {
			throw new IllegalArgumentException("no function " + function + ": webhook or worker");
		}
		Path eventFile = Path.of(args[1]);
		boolean prime = args.length > 2 && args[2].equals("--prime");

		FunctionInvoker invoker = new FunctionInvoker(function);
		long ready = System.currentTimeMillis();
		long priming = 0;
		if (prime) {
			long started = System.nanoTime();
			Priming.primeAll();
			priming = System.nanoTime() - started;
		}
		// Lambda's runtime, too, has the event in hand before it calls the handler
		byte[] event = Files.readAllBytes(eventFile);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		long started = System.nanoTime();
		invoker.handleRequest(new ByteArrayInputStream(event), out, null);
		long firstCall = System.nanoTime() - started;
		long answered = System.currentTimeMillis();

		// read only now: the classes it loads are no part of the function's start
		long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
		// plain Jackson: the child may run on the deployment's classpath, without the
		// tests' helpers
		ObjectMapper json = new ObjectMapper();
		JsonNode answer = json.readTree(out.toByteArray());
		String status = function.equals("webhook") ? answer.path("statusCode").asText()
				: answer.has("batchItemFailures") ? json.writeValueAsString(answer.get("batchItemFailures")) : "none";
		// the processor time the process spent to its answer, all threads: a measure
		// that other work on a shared machine disturbs less than the wall clock
		long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
		System.out.println(new Result(function, ready - jvmStart, priming / 1_000_000, firstCall / 1_000_000,
				answered - jvmStart, cpu / 1_000_000, status)
			.line());
		System.out.flush();
	}

	/**
	 * What a cold start took, in milliseconds, and how it answered.
	 *
	 * @param function webhook or worker
	 * @param ready JVM start to the invoker ready (the function's "init")
	 * @param priming the priming, 0 without
	 * @param firstCall the first call, around {@code handleRequest}
	 * @param firstAnswer JVM start to the first call's answer
	 * @param cpu the processor time of all the process's threads to the answer
	 * @param status the webhook's {@code statusCode}, or the worker's
	 * {@code batchItemFailures} as JSON ({@code none} without)
	 */
	record Result(String function, long ready, long priming, long firstCall, long firstAnswer, long cpu,
			String status) {

		/**
		 * Begins the line, so that the parent tells it from the function's own output.
		 */
		static final String PREFIX = "coldstart ";

		String line() {
			return PREFIX + "function=" + function + " ready=" + ready + " priming=" + priming + " first-call="
					+ firstCall + " first-answer=" + firstAnswer + " cpu=" + cpu + " status=" + status;
		}

		/** The result on this line, if it is one (the status last: it is JSON). */
		static Optional<Result> parse(String line) {
			if (!line.startsWith(PREFIX)) {
				return Optional.empty();
			}
			String[] fields = line.substring(PREFIX.length()).split(" ", 7);
			for (int i = 0; i < fields.length; i++) {
				fields[i] = fields[i].substring(fields[i].indexOf('=') + 1);
			}
			return Optional.of(new Result(fields[0], Long.parseLong(fields[1]), Long.parseLong(fields[2]),
					Long.parseLong(fields[3]), Long.parseLong(fields[4]), Long.parseLong(fields[5]), fields[6]));
		}

	}

}
