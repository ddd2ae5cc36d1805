package io.switchboard.assistant;

/**
 * What a tool did.
 *
 * @param text the result for the model (cut to the configured length)
 * @param summary a short line for the user, or {@code null} for the text's beginning
 * @param imageJob an image job the tool started, or {@code null}: its candidates and
 * buttons are delivered to the asking place as {@code /imagine}'s are
 */
public record ToolOutcome(String text, String summary, Long imageJob) {

	public ToolOutcome {
		text = text == null ? "" : text;
	}

	public static ToolOutcome of(String text) {
		return new ToolOutcome(text, null, null);
	}

}
