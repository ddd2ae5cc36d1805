package io.switchboard.image;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.switchboard.conversation.UserId;
import io.switchboard.media.MediaRef;

/**
 * An image job as recorded: what was asked, from which job and candidate it came, where
 * the provider is with it, and its results.
 *
 * @param parent the job this one acts on, {@code null} for an origin
 * @param parentIndex the parent's candidate it acts on (1-4), {@code null} when it acts
 * on the whole parent (a reroll, or a vary of an upscaled image)
 * @param provider the configured image provider's name
 * @param providerTaskId the provider's own id for the work, once submitted
 * @param progress percent done, 0-100
 * @param failureReason why it failed, for the user; {@code null} unless failed
 * @param candidates the result images: four for candidate-producing kinds, one for an
 * upscale
 * @param grid the four candidates composed into one 2x2 image with numbered corners (for
 * platforms that show one image per message), {@code null} for an upscale
 * @param origin where it was asked for, for delivering updates
 */
public record ImageJob(ImageJobId id, UserId owner, JobKind kind, ImageJobId parent, Integer parentIndex, String prompt,
		String negativePrompt, ImageSettings settings, String provider, String providerTaskId, JobState state,
		int progress, String failureReason, List<Candidate> candidates, MediaRef grid, ImageOrigin origin,
		Instant createdAt, Instant updatedAt, Instant finishedAt) {

	public ImageJob {
		candidates = candidates == null ? List.of() : List.copyOf(candidates);
	}

	/**
	 * The buttons to show under this job's result: U1-U4, V1-V4 and reroll under
	 * candidates, Vary (Strong) and Vary (Subtle) under an upscale; nothing until it has
	 * succeeded. (Subtle variations of a candidate, S1-S4, are allowed too but not shown
	 * as buttons.)
	 */
	public List<ImageAction> actions() {
		if (state != JobState.SUCCEEDED) {
			return List.of();
		}
		List<ImageAction> actions = new ArrayList<>();
		if (kind.producesCandidates()) {
			for (int i = 1; i <= candidates.size(); i++) {
				actions.add(new ImageAction.Upscale(i));
			}
			for (int i = 1; i <= candidates.size(); i++) {
				actions.add(new ImageAction.VaryStrong(i));
			}
			actions.add(new ImageAction.Reroll());
		}
		else {
			actions.add(new ImageAction.VaryStrong(null));
			actions.add(new ImageAction.VarySubtle(null));
		}
		return List.copyOf(actions);
	}

}
