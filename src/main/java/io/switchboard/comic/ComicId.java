package io.switchboard.comic;

/** A comic's id; shown to people as {@code #12}. */
public record ComicId(long value) {

	@Override
	public String toString() {
		return "#" + value;
	}

}
