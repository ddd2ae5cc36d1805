package io.switchboard.image;

import java.util.Locale;
import java.util.Optional;

/**
 * What a user can do with a finished job, as Midjourney's buttons. On four candidates:
 * U1-U4 (upscale one), V1-V4 (vary one strongly, as Midjourney's high-variation default
 * does) and reroll; vary one subtly is there too for APIs and studios (S1-S4). On an
 * upscaled image: Vary (Strong) and Vary (Subtle). Each has a short code that channels
 * put in their buttons' ids, read back with {@link #parse(String)}.
 */
public sealed interface ImageAction {

	/**
	 * The button code: {@code U1}-{@code U4}, {@code V1}-{@code V4},
	 * {@code S1}-{@code S4}, {@code VX}, {@code VS}, {@code RR}.
	 */
	String code();

	/** What the action does, the way a sentence begins, e.g. "Upscaling candidate 2". */
	default String doing() {
		return switch (this) {
			case Upscale upscale -> "Upscaling candidate " + upscale.index();
			case VaryStrong vary when vary.index() != null -> "Varying candidate " + vary.index() + " strongly";
			case VaryStrong vary -> "Varying strongly";
			case VarySubtle vary when vary.index() != null -> "Varying candidate " + vary.index() + " subtly";
			case VarySubtle vary -> "Varying subtly";
			case Reroll reroll -> "Rerolling";
		};
	}

	/** The button label, e.g. {@code U2} or {@code Vary (Strong)}. */
	String label();

	/**
	 * What pressing the button on job {@code job} asks for, as a person would say it,
	 * e.g. "Upscale 1 of image #2": chats show this instead of the command a button
	 * sends.
	 */
	default String pressed(long job) {
		return switch (this) {
			case Upscale upscale -> "Upscale " + upscale.index() + " of image #" + job;
			case VaryStrong vary when vary.index() != null ->
				"Vary " + vary.index() + " of image #" + job + " (strong)";
			case VaryStrong vary -> "Vary image #" + job + " (strong)";
			case VarySubtle vary when vary.index() != null ->
				"Vary " + vary.index() + " of image #" + job + " (subtle)";
			case VarySubtle vary -> "Vary image #" + job + " (subtle)";
			case Reroll reroll -> "Reroll image #" + job;
		};
	}

	/** The kind of job the action starts. */
	JobKind kind();

	/**
	 * The candidate acted on (1-4), or {@code null} when the action takes the whole
	 * parent.
	 */
	Integer index();

	/** Upscale candidate {@code index} (1-4). */
	record Upscale(Integer index) implements ImageAction {

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

	/**
	 * Vary strongly: candidate {@code index}, or the upscaled image when {@code index} is
	 * null.
	 */
	record VaryStrong(Integer index) implements ImageAction {

		public VaryStrong {
			if (index != null) {
				requireIndex(index);
			}
		}

		@Override
		public String code() {
			return index == null ? "VX" : "V" + index;
		}

		@Override
		public String label() {
			return index == null ? "Vary (Strong)" : code();
		}

		@Override
		public JobKind kind() {
			return JobKind.VARY_STRONG;
		}

	}

	/**
	 * Vary subtly: candidate {@code index}, or the upscaled image when {@code index} is
	 * null.
	 */
	record VarySubtle(Integer index) implements ImageAction {

		public VarySubtle {
			if (index != null) {
				requireIndex(index);
			}
		}

		@Override
		public String code() {
			return index == null ? "VS" : "S" + index;
		}

		@Override
		public String label() {
			return index == null ? "Vary (Subtle)" : code();
		}

		@Override
		public JobKind kind() {
			return JobKind.VARY_SUBTLE;
		}

	}

	/** Four new candidates from the same prompt and settings. */
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

		@Override
		public Integer index() {
			return null;
		}

	}

	/** Reads a button code back; empty when it is not one. */
	public static Optional<ImageAction> parse(String code) {
		if (code == null) {
			return Optional.empty();
		}
		String value = code.strip().toUpperCase(Locale.ROOT);
		return switch (value) {
			case "VX" -> Optional.of(new VaryStrong(null));
			case "VS" -> Optional.of(new VarySubtle(null));
			case "RR" -> Optional.of(new Reroll());
			default -> {
				if (value.length() != 2 || value.charAt(1) < '1' || value.charAt(1) > '4') {
					yield Optional.empty();
				}
				int index = value.charAt(1) - '0';
				yield switch (value.charAt(0)) {
					case 'U' -> Optional.of(new Upscale(index));
					case 'V' -> Optional.of(new VaryStrong(index));
					case 'S' -> Optional.of(new VarySubtle(index));
					default -> Optional.empty();
				};
			}
		};
	}

	private static void requireIndex(Integer index) {
		if (index == null || index < 1 || index > 4) {
			throw new IllegalArgumentException("a candidate index is 1 to 4, was " + index);
		}
	}

}
