package io.switchboard.image.view;

import java.time.Instant;
import java.util.List;

import io.switchboard.image.ImageJob;
import io.switchboard.image.ImageSettings;
import io.switchboard.media.MediaLinks;
import io.switchboard.media.MediaRef;

/**
 * A job as the REST API and the studio show it (public for the templates' expressions;
 * inside the image module, as this package is not its API), with signed links to its
 * images: {@code url} is server-relative (for pages on this server), {@code publicUrl}
 * absolute under the configured public base URL.
 */
public record JobView(long id, String kind, String state, int progress, String prompt, String negativePrompt,
		String provider, boolean demo, Settings settings, Long parent, Integer parentIndex, String failureReason,
		List<Image> candidates, Image grid, List<Action> actions, Instant createdAt, Instant updatedAt,
		Instant finishedAt) {

	public static JobView of(ImageJob job, boolean demo, MediaLinks links) {
		ImageSettings s = job.settings();
		return new JobView(job.id().value(), lower(job.kind()), lower(job.state()), job.progress(), job.prompt(),
				job.negativePrompt(), job.provider(), demo,
				new Settings(s.model(), s.width(), s.height(), s.seed(), s.steps(), s.cfgScale(), s.sampler()),
				job.parent() == null ? null : job.parent().value(), job.parentIndex(), job.failureReason(),
				job.candidates().stream().map(c -> Image.of(c.index(), c.image(), links)).toList(),
				job.grid() == null ? null : Image.of(null, job.grid(), links),
				job.actions().stream().map(a -> new Action(a.code(), a.label())).toList(), job.createdAt(),
				job.updatedAt(), job.finishedAt());
	}

	private static String lower(Enum<?> value) {
		return value.name().toLowerCase(java.util.Locale.ROOT);
	}

	public boolean finished() {
		return "succeeded".equals(state) || "failed".equals(state) || "cancelled".equals(state);
	}

	public record Settings(String model, Integer width, Integer height, Long seed, Integer steps, Double cfgScale,
			String sampler) {
	}

	public record Image(Integer index, String url, String publicUrl, String sha256, String mimeType, int width,
			int height) {

		static Image of(Integer index, MediaRef ref, MediaLinks links) {
			return new Image(index, links.path(ref.sha256()), links.publicUrl(ref.sha256()).toString(), ref.sha256(),
					ref.mimeType(), ref.width(), ref.height());
		}

	}

	public record Action(String code, String label) {
	}

	/** A job and what was made from it, recursively. */
	public record Tree(JobView job, List<Tree> children) {
	}

}
