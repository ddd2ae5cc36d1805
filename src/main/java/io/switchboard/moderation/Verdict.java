package io.switchboard.moderation;

import java.util.List;
import java.util.Locale;

/** What moderation made of a text. */
public sealed interface Verdict {

	/** Nothing against it, or moderation is off where it was written. */
	record Allowed() implements Verdict {
	}

	/**
	 * Flagged by the moderation model.
	 *
	 * @param categories the categories it was flagged for, as the endpoint names them
	 * (e.g. {@code violence}, {@code harassment/threatening}); never empty
	 */
	record Flagged(List<String> categories) implements Verdict {

		public Flagged {
			categories = List.copyOf(categories);
			if (categories.isEmpty()) {
				throw new IllegalArgumentException("a flagged text has a category");
			}
		}

		/** The categories in words: {@code harassment (threatening)}. */
		public String categoryWords() {
			return String.join(", ", categories.stream().map(Flagged::words).toList());
		}

		private static String words(String category) {
			String[] parts = category.toLowerCase(Locale.ROOT).replace('_', ' ').split("/", 2);
			return parts.length == 1 ? parts[0] : parts[0] + " (" + parts[1].replace('-', ' ') + ")";
		}

	}

	/**
	 * The check could not be made (the endpoint failed, was unreachable or too slow): the
	 * text is not passed on unchecked.
	 *
	 * @param reason what went wrong, for logs
	 */
	record Unavailable(String reason) implements Verdict {
	}

}
