package io.switchboard.comic;

import java.util.List;

/**
 * Step 3 as the user edits it: the shared character sheet and style line, and each
 * panel's prompts.
 */
public record PromptsEdit(String characterSheet, String styleLine, List<PanelPrompt> panels) {

	public PromptsEdit {
		panels = panels == null ? List.of() : List.copyOf(panels);
	}

	/** One panel's image prompt and negative prompt. */
	public record PanelPrompt(String prompt, String negativePrompt) {
	}

}
