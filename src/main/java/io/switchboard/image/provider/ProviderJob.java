package io.switchboard.image.provider;

import java.util.function.Supplier;

import io.switchboard.image.ImageSettings;
import io.switchboard.image.JobKind;

/**
 * A recorded job as a provider sees it.
 *
 * @param id the job's id
 * @param kind what the user asked for (a reroll is a {@link JobKind#REROLL})
 * @param work what to draw: {@code ORIGIN} (four from the prompt), {@code UPSCALE} (the
 * source enlarged), {@code VARY_STRONG} or {@code VARY_SUBTLE} (four from the source); a
 * reroll repeats its parent's work
 * @param settings resolved: size, seed, steps and so on are filled in where the provider
 * has defaults
 * @param index the parent's candidate worked on (1-4), or {@code null}
 * @param parent the parent job as the provider left it, or {@code null} for an origin
 * @param source loads the image worked on (the chosen candidate or the upscale), for
 * upscale and vary; {@code null} otherwise
 */
public record ProviderJob(long id, JobKind kind, JobKind work, String prompt, String negativePrompt,
		ImageSettings settings, Integer index, Parent parent, Supplier<byte[]> source) {

	/** The image worked on; fails when the job has none. */
	public byte[] sourceImage() {
		if (source == null) {
			throw new IllegalStateException("job " + id + " has no source image");
		}
		return source.get();
	}

	/** Whether the work starts from an upscaled image rather than a grid's candidate. */
	public boolean onUpscale() {
		return parent != null && parent.kind() == JobKind.UPSCALE;
	}

	/**
	 * The parent job, as far as a provider needs it.
	 *
	 * @param kind what the parent was
	 * @param taskId the provider's id for the parent's work
	 * @param providerState what the provider kept about the parent's results
	 */
	public record Parent(long id, JobKind kind, String taskId, String providerState) {
	}

}
