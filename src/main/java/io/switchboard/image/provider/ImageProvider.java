package io.switchboard.image.provider;

import java.util.Optional;

import io.switchboard.image.ImageSettings;
import io.switchboard.image.JobKind;

/**
 * One image backend, in two phases: {@link #submit} sends a recorded job and
 * {@link #poll} asks how it is doing; the engine patches the record with each answer.
 * Neither may wait for the drawing itself: a backend with task ids answers at once, and a
 * backend that answers only when done is called asynchronously (the answer arrives on the
 * HTTP client's own selector, not on a waiting thread) and reported as
 * {@link ProviderUpdate.Working} until it is there.
 *
 * <p>
 * Failures are {@link ImageProviderException}s: {@code Retriable} (tried again later),
 * {@code Refused} (the job fails with the message) or {@code Lost} (the backend no longer
 * knows the task, e.g. after a restart: the job is sent again).
 */
public interface ImageProvider {

	/** The configured name, e.g. {@code sd}. */
	String name();

	/** Whether it draws locally as a demo (pages and replies say so). */
	default boolean demo() {
		return false;
	}

	/**
	 * Why these settings cannot be drawn here (e.g. a size the model does not make), or
	 * empty when they can.
	 */
	default Optional<String> problemWith(ImageSettings settings) {
		return Optional.empty();
	}

	/**
	 * Why this kind of job (as the user asked for it: a reroll is a
	 * {@link JobKind#REROLL}) cannot be done here, or empty when it can.
	 * @param onUpscale whether the work starts from an upscaled image rather than a
	 * candidate
	 */
	default Optional<String> problemWith(JobKind kind, boolean onUpscale) {
		return Optional.empty();
	}

	/** Sends a job; returns without waiting for the images. */
	ProviderUpdate submit(ProviderJob job);

	/** How a submitted job is doing; {@code taskId} is what the last update said. */
	ProviderUpdate poll(ProviderJob job, String taskId);

	/** Stops the work if the backend can; best effort, never throws. */
	default void cancel(ProviderJob job, String taskId) {
	}

	/** Lets go of what the provider holds open (a websocket), as the server stops. */
	default void close() {
	}

}
