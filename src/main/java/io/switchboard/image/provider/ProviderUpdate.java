package io.switchboard.image.provider;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** What a provider says about a job it was sent. */
public sealed interface ProviderUpdate {

	/**
	 * Still working.
	 *
	 * @param taskId the id to poll with (the backend's, or a local one for calls in
	 * flight)
	 * @param progress percent done, 0-100
	 * @param started whether the backend has begun drawing (rather than waiting in its
	 * own queue)
	 * @param ready completes when an answer has arrived, so the engine can look at once
	 * rather than at the next poll; {@code null} when the backend must be asked
	 */
	record Working(String taskId, int progress, boolean started, CompletionStage<?> ready) implements ProviderUpdate {

		public Working {
			progress = Math.max(0, Math.min(100, progress));
			started = started || progress > 0;
		}

		public Working(String taskId, int progress) {
			this(taskId, progress, progress > 0, null);
		}

	}

	/**
	 * Finished.
	 *
	 * @param images the images, encoded (PNG, JPEG, WebP): four candidates, or one for an
	 * upscale
	 * @param taskId the backend's id for the finished work, or {@code null}
	 * @param providerState what the provider needs later to act on these results (e.g.
	 * midjourney-proxy's buttons), or {@code null}
	 */
	record Done(List<byte[]> images, String taskId, String providerState) implements ProviderUpdate {

		public Done {
			images = List.copyOf(images);
		}

		public Done(List<byte[]> images) {
			this(images, null, null);
		}

	}

}
