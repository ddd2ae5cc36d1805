package io.switchboard.comic;

import java.util.List;

/** Step 2 as the user edits it: the title and each panel's text. */
public record StoryEdit(String title, List<PanelText> panels) {

	public StoryEdit {
		panels = panels == null ? List.of() : List.copyOf(panels);
	}

	/** One panel's text. */
	public record PanelText(String scene, String characters, String dialogue, String caption) {
	}

}
