package io.switchboard.comic;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.switchboard.image.ImageJob;
import io.switchboard.llm.ModelSpec;
import io.switchboard.media.MediaLinks;

/**
 * A comic as the studio page and the REST API show it: every step's content, each panel's
 * image job with its progress and candidates, and signed links to the images.
 */
record ComicView(long id, String title, String displayTitle, String idea, String genre, String style, String model,
		String storyModel, boolean storyModelDemo, String layout, String stage, String characterSheet, String styleLine,
		PanelSettings settings, List<PanelView> panels, String stripUrl, boolean allPanelsDrawn, String runState,
		String failureReason, List<String> missingFonts, Instant createdAt, Instant updatedAt) {

	/**
	 * One panel.
	 *
	 * @param job the current image job's id, or {@code null}
	 * @param jobState {@code queued}, {@code running}, {@code succeeded}, ...
	 * @param candidates signed links to the current job's candidates, in order
	 * @param imageUrl the panel's chosen image
	 */
	record PanelView(int index, String scene, String characters, String dialogue, String caption, String prompt,
			String negativePrompt, Long job, String jobState, Integer progress, String failureReason,
			List<String> candidates, Integer candidate, String imageUrl) {

		public boolean running() {
			return jobState != null && !List.of("succeeded", "failed", "cancelled").contains(jobState);
		}

		public boolean succeeded() {
			return "succeeded".equals(jobState);
		}

	}

	static ComicView of(Comic comic, Map<Integer, ImageJob> jobs, ModelSpec storyModel, List<String> missingFonts,
			MediaLinks links) {
		List<PanelView> panels = new ArrayList<>(4);
		for (Panel panel : comic.panels()) {
			ImageJob job = jobs.get(panel.index());
			List<String> candidates = job == null ? List.of()
					: job.candidates().stream().map(candidate -> links.path(candidate.image().sha256())).toList();
			panels
				.add(new PanelView(panel.index(), panel.scene(), panel.characters(), panel.dialogue(), panel.caption(),
						panel.prompt(), panel.negativePrompt(), panel.job() == null ? null : panel.job().value(),
						job == null ? null : job.state().name().toLowerCase(), job == null ? null : job.progress(),
						job == null ? null : job.failureReason(), candidates, panel.candidate(),
						panel.imageSha256() == null ? null : links.path(panel.imageSha256())));
		}
		return new ComicView(comic.id().value(), comic.title(), comic.displayTitle(), comic.idea(), comic.genre(),
				comic.style(), comic.model(), storyModel.name(), storyModel.demo(), comic.layout().key(),
				comic.stage().key(), comic.characterSheet(), comic.styleLine(), comic.settings(), panels,
				comic.stripSha256() == null ? null : links.path(comic.stripSha256()), comic.allPanelsDrawn(),
				comic.runState() == null ? null : comic.runState().name().toLowerCase(), comic.failureReason(),
				missingFonts, comic.createdAt(), comic.updatedAt());
	}

}
