package io.switchboard.comic;

import io.switchboard.image.ImageJobId;

/**
 * One of a comic's four panels: the story's text, the image prompts, the image job that
 * draws it and the chosen candidate.
 *
 * @param index 1 to 4
 * @param scene what the panel shows
 * @param characters who appears in it
 * @param dialogue what is said, drawn in a speech balloon ({@code Name: line} per line)
 * @param caption narration, drawn in a caption box
 * @param job the image job whose candidates the panel is chosen from, or {@code null}
 * @param candidate which of the job's candidates is the panel (1-4), or {@code null}
 * @param imageSha256 the panel's image in the media store, or {@code null}
 */
public record Panel(int index, String scene, String characters, String dialogue, String caption, String prompt,
		String negativePrompt, ImageJobId job, Integer candidate, String imageSha256) {

	public Panel {
		scene = scene == null ? "" : scene;
		characters = characters == null ? "" : characters;
		dialogue = dialogue == null ? "" : dialogue;
		caption = caption == null ? "" : caption;
	}

	public static Panel empty(int index) {
		return new Panel(index, "", "", "", "", null, null, null, null, null);
	}

	public boolean hasImage() {
		return imageSha256 != null;
	}

}
