package io.switchboard.comic;

import java.util.Locale;
import java.util.Optional;

/** How the four panels are put together into one strip. */
public enum Layout {

	/** One column of four panels, the Korean "four-cut" (네컷) strip. */
	VERTICAL,
	/** Two by two. */
	GRID;

	/** The lower-case name used in forms, JSON and the database. */
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Reads {@code vertical} or {@code grid} (also {@code 2x2}); empty otherwise. */
	public static Optional<Layout> parse(String value) {
		if (value == null) {
			return Optional.empty();
		}
		return switch (value.strip().toLowerCase(Locale.ROOT)) {
			case "vertical", "four-cut", "4-cut" -> Optional.of(VERTICAL);
			case "grid", "2x2" -> Optional.of(GRID);
			default -> Optional.empty();
		};
	}

}
