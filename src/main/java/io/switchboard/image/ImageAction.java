package io.switchboard.image;

import java.util.Optional;

/**
 * What a user can do with a finished job, as Midjourney's buttons: U1-U4 and V1-V4 on
 * four candidates, reroll, and vary strong / vary subtle on an upscaled image. Each has a
 * short code that channels put in their buttons' ids ({@code U2}, {@code V3}, {@code VS},
 * {@code VX}, {@code RR}).
 */
public sealed interface ImageAction {

	/** The button code, e.g. {@code U2}. */
	String code();

	/** The button label, e.g. {@code U2} or {@code Vary (Strong)}. */
	String label();

	/** The kind of job the action starts. */
	JobKind kind();

	/** Upscale candidate {@code index} (1-4). */
	record Upscale(int index) implements ImageAction {

		public Upscale {
			requireIndex(index);
		}

		@Override
		public String code() {
			return "U" + index;
		}

		@Override
		public String label() {
			return code();
		}

		@Override
		public JobKind kind() {
			return JobKind.UPSCALE;
		}

	}

	/** Vary candidate {@code index} (1-4) subtly, as Midjourney's V buttons do. */
	record Vary(int index) implements ImageAction {

		public Vary {
			requireIndex(index);
		}

		@Override
		public String code() {
			return "V" + index;
		}

		@Override
		public String label() {
			return code();
		}

		@Override
		public JobKind kind() {
			return JobKind.VARY_SUBTLE;
		}

	}

	/** Vary an upscaled image strongly. */
	record VaryStrong() implements ImageAction {

		@Override
		public String code() {
			return "VX";
		}

		@Override
		public String label() {
			return "Vary (Strong)";
		}

		@Override
		public JobKind kind() {
			return JobKind.VARY_STRONG;
		}

	}

	/** Vary an upscaled image subtly. */
	record VarySubtle() implements ImageAction {

		@Override
		public String code() {
			return "VS";
		}

		@Override
		public String label() {
			return "Vary (Subtle)";
		}

		@Override
		public JobKind kind() {
			return JobKind.VARY_SUBTLE;
		}

	}

	/** Four new candidates from the same prompt. */
	record Reroll() implements ImageAction {

		@Override
		public String code() {
			return "RR";
		}

		@Override
		public String label() {
			return "🔄 Reroll";
		}

		@Override
		public JobKind kind() {
			return JobKind.REROLL;
		}

	}

	/** Reads a button code back; empty when it is not one. */
	static Optional<ImageAction> parse(String code) {
		if (code == null) {
			return Optional.empty();
		}
		String value = code.strip().toUpperCase(java.util.Locale.ROOT);
		return switch (value) {
			case "VX" -> Optional.of(new VaryStrong());
			case "VS" -> Optional.of(new VarySubtle());
			case "RR" -> Optional.of(new Reroll());
			default -> {
				if (value.length() == 2 && (value.charAt(0) == 'U' || value.charAt(0) == 'V') && value.charAt(1) >= '1'
						&& value.charAt(1) <= '4') {
					int index = value.charAt(1) - '0';
					yield Optional.of(value.charAt(0) == 'U' ? new Upscale(index) : new Vary(index));
				}
				yield Optional.empty();
			}
		};
	}

	private static void requireIndex(int index) {
		if (index < 1 || index > 4) {
			throw new IllegalArgumentException("a candidate index is 1 to 4, was " + index);
		}
	}

}
