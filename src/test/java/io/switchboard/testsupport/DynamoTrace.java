package io.switchboard.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Records the DynamoDB requests of the test JVM while {@link #start} is on (for a
 * benchmark that lists a turn's round trips): each with its operation, the store methods
 * that made it and how long it took. The AWS SDK loads it into every client (listed in
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}); it does nothing
 * until started.
 */
public final class DynamoTrace implements ExecutionInterceptor {

	/** One request: its operation, its callers (innermost first), its duration. */
	public record Trip(String operation, String callers, long nanos, String thread) {
	}

	private static final AtomicBoolean on = new AtomicBoolean();

	private static final List<Trip> trips = new ArrayList<>();

	private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("trace-started");

	private static final ExecutionAttribute<String> CALLERS = new ExecutionAttribute<>("trace-callers");

	public static void start() {
		synchronized (trips) {
			trips.clear();
		}
		on.set(true);
	}

	public static List<Trip> stop() {
		on.set(false);
		synchronized (trips) {
			return List.copyOf(trips);
		}
	}

	@Override
	public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
		if (!on.get()) {
			return;
		}
		attributes.putAttribute(STARTED, System.nanoTime());
		attributes.putAttribute(CALLERS,
				StackWalker.getInstance()
					.walk(frames -> frames
						.filter(frame -> frame.getClassName().startsWith("io.switchboard.")
								&& !frame.getClassName().startsWith("io.switchboard.testsupport.")
								&& !frame.getClassName().startsWith("io.switchboard.storage.DynamoTable"))
						.limit(4)
						.map(frame -> frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1) + "."
								+ frame.getMethodName() + ":" + frame.getLineNumber())
						.collect(Collectors.joining(" < "))));
	}

	@Override
	public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
		record(context.request(), attributes);
	}

	@Override
	public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
		record(context.request(), attributes);
	}

	private static void record(SdkRequest request, ExecutionAttributes attributes) {
		Long started = attributes.getAttribute(STARTED);
		if (started == null) {
			return;
		}
		synchronized (trips) {
			trips.add(new Trip(request.getClass().getSimpleName().replace("Request", ""),
					attributes.getAttribute(CALLERS), System.nanoTime() - started,
					Thread.currentThread().isVirtual() ? "v" : Thread.currentThread().getName()));
		}
	}

}
