package io.switchboard.image;

/** What an origin job is asked to draw. */
public record ImageRequest(String prompt, String negativePrompt, ImageSettings settings) {

	public ImageRequest {
		if (prompt == null || prompt.isBlank()) {
			throw new IllegalArgumentException("a prompt must not be empty");
		}
		settings = settings == null ? ImageSettings.DEFAULTS : settings;
	}

	public static ImageRequest of(String prompt) {
		return new ImageRequest(prompt, null, ImageSettings.DEFAULTS);
	}

}
