package io.switchboard.image;

/** Identifies an image job. Shown to users as {@code #<value>}. */
public record ImageJobId(long value) {

	@Override
	public String toString() {
		return "#" + value;
	}

}
