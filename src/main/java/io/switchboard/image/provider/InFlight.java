package io.switchboard.image.provider;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls in flight to backends that answer only when the drawing is done (OpenAI, SD
 * WebUI), by a local task id. They live in memory: after a restart the id is unknown,
 * {@link #poll} says {@code Lost}, and the engine sends the job again.
 */
final class InFlight {

	private final String prefix;

	private final Map<String, CompletableFuture<ProviderUpdate.Done>> calls = new ConcurrentHashMap<>();

	InFlight(String provider) {
		// the process's own mark, so an id from before a restart is never mistaken for a
		// new one
		this.prefix = provider + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
	}

	/** Keeps a call and says it is under way. */
	ProviderUpdate.Working start(CompletableFuture<ProviderUpdate.Done> call) {
		String id = prefix + UUID.randomUUID();
		calls.put(id, call);
		return new ProviderUpdate.Working(id, 0, true, call);
	}

	/**
	 * The call's result when it has arrived (or its failure, thrown), else empty.
	 * @throws ImageProviderException.Lost when the id is not one of this process's calls
	 */
	java.util.Optional<ProviderUpdate.Done> poll(String id) {
		CompletableFuture<ProviderUpdate.Done> call = calls.get(id);
		if (call == null) {
			throw new ImageProviderException.Lost("no call " + id + " is in flight here");
		}
		if (!call.isDone()) {
			return java.util.Optional.empty();
		}
		calls.remove(id);
		try {
			return java.util.Optional.of(call.join());
		}
		catch (CompletionException failed) {
			if (failed.getCause() instanceof ImageProviderException.Retriable retriable) {
				// the call that carried the job failed: it must be sent again, not asked
				// about
				throw new ImageProviderException.Retriable(retriable.getMessage(), retriable.getCause(), true);
			}
			if (failed.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw failed;
		}
	}

	/** Stops waiting for a call; {@code true} if it was still under way. */
	boolean cancel(String id) {
		CompletableFuture<ProviderUpdate.Done> call = calls.remove(id);
		// cancel answers false when the call had finished already
		return call != null && call.cancel(true);
	}

	int size() {
		return calls.size();
	}

}
