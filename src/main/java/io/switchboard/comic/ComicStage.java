package io.switchboard.comic;

import java.util.Locale;

/** The furthest step a comic has reached; earlier steps stay editable. */
public enum ComicStage {

	/** Only the idea, genre and style. */
	IDEA,
	/** The four-panel story is written. */
	STORY,
	/** The image prompts are written. */
	PROMPTS,
	/** The panels' image jobs have been started. */
	PANELS,
	/** The strip has been composed. */
	STRIP;

	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Whether this stage is at least {@code other}. */
	public boolean reached(ComicStage other) {
		return compareTo(other) >= 0;
	}

}
