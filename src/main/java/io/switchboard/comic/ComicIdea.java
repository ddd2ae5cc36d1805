package io.switchboard.comic;

/**
 * Step 1: what the comic is about.
 *
 * @param idea what happens, in the user's words and language
 * @param genre e.g. slice of life, fantasy; may be empty
 * @param style the look, e.g. watercolor webtoon; may be empty
 * @param model the chat model that writes the story and prompts, {@code null} for the
 * server's comic model
 * @param layout how the strip is composed, {@code null} for the server's default
 */
public record ComicIdea(String idea, String genre, String style, String model, Layout layout) {

	public static ComicIdea of(String idea) {
		return new ComicIdea(idea, null, null, null, null);
	}

}
