package io.switchboard.comic;

import java.time.Instant;
import java.util.List;

import io.switchboard.conversation.UserId;
import io.switchboard.image.ImageOrigin;

/**
 * A comic and every step of its making.
 *
 * @param model the chat model chosen for its story and prompts, or {@code null}
 * @param characterSheet each character's fixed look, shared by every panel's prompt
 * @param styleLine the art style, shared by every panel's prompt
 * @param panels always four, in order
 * @param stripSha256 the composed strip (PNG) in the media store, or {@code null}
 * @param runState for comics made by {@code /comic}; {@code null} for studio comics
 * @param failureReason why a {@code /comic} run failed, for the user
 * @param origin where it was asked for (a chat for {@code /comic}, the studio otherwise)
 */
public record Comic(ComicId id, UserId owner, String idea, String genre, String style, String model, Layout layout,
		ComicStage stage, String title, String characterSheet, String styleLine, PanelSettings settings,
		List<Panel> panels, String stripSha256, RunState runState, String failureReason, ImageOrigin origin,
		Instant createdAt, Instant updatedAt) {

	public Comic {
		panels = List.copyOf(panels);
	}

	/** Panel 1 to 4. */
	public Panel panel(int index) {
		return panels.get(index - 1);
	}

	/** Whether every panel has its image, so a strip can be composed. */
	public boolean allPanelsDrawn() {
		return panels.stream().allMatch(Panel::hasImage);
	}

	/** The title, or the idea while there is no title yet. */
	public String displayTitle() {
		if (title != null && !title.isBlank()) {
			return title;
		}
		return idea.length() > 60 ? idea.substring(0, 60) + "…" : idea;
	}

}
