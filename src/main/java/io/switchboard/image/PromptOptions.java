package io.switchboard.image;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Midjourney-style options off the end of a chat prompt: {@code --no <words>},
 * {@code --ar 16:9}, {@code --size 768x512}, {@code --seed 42}, {@code --steps 30},
 * {@code --cfg 7}, {@code --sampler "DPM++ 2M"}, {@code --provider sd},
 * {@code --model x}. Anything else stays in the prompt.
 */
final class PromptOptions {

	private static final Pattern OPTION = Pattern.compile(
			"(?:^|\\s)--(no|ar|aspect|size|seed|steps|cfg|sampler|provider|model)(?:\\s+|$)", Pattern.CASE_INSENSITIVE);

	private static final int BASE_SIDE = 512;

	private PromptOptions() {
	}

	/**
	 * The request a chat line asks for.
	 * @throws ImageJobException.Rejected when an option's value cannot be read
	 */
	static ImageRequest parse(String line) {
		String text = line == null ? "" : line.strip();
		Matcher matcher = OPTION.matcher(text);
		if (!matcher.find()) {
			return new ImageRequest(text, null, ImageSettings.DEFAULTS);
		}
		String prompt = text.substring(0, matcher.start()).strip();
		String negative = null;
		String provider = null;
		String model = null;
		String sampler = null;
		Integer width = null;
		Integer height = null;
		Long seed = null;
		Integer steps = null;
		Double cfg = null;
		int start = matcher.start();
		while (start >= 0) {
			String name = matcher.group(1).toLowerCase(Locale.ROOT);
			int valueStart = matcher.end();
			int next = matcher.find(valueStart) ? matcher.start() : -1;
			String value = (next < 0 ? text.substring(valueStart) : text.substring(valueStart, next)).strip();
			if (value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")) {
				value = value.substring(1, value.length() - 1);
			}
			if (value.isEmpty()) {
				throw new ImageJobException.Rejected("The option --" + name + " needs a value.");
			}
			switch (name) {
				case "no" -> negative = value;
				case "ar", "aspect" -> {
					int[] ratio = pair(value, ":", name);
					// keep about 512x512 worth of pixels, in multiples of 8
					double scale = Math.sqrt((double) BASE_SIDE * BASE_SIDE / ((double) ratio[0] * ratio[1]));
					width = (int) Math.round(ratio[0] * scale / 8) * 8;
					height = (int) Math.round(ratio[1] * scale / 8) * 8;
				}
				case "size" -> {
					int[] size = pair(value.toLowerCase(Locale.ROOT), "x", name);
					width = size[0];
					height = size[1];
				}
				case "seed" -> seed = number(value, name);
				case "steps" -> steps = (int) number(value, name);
				case "cfg" -> {
					try {
						cfg = Double.parseDouble(value);
					}
					catch (NumberFormatException bad) {
						throw new ImageJobException.Rejected("--cfg wants a number, e.g. --cfg 7.");
					}
				}
				case "sampler" -> sampler = value;
				case "provider" -> provider = value;
				case "model" -> model = value;
				default -> throw new IllegalStateException(name);
			}
			start = next;
		}
		if (prompt.isEmpty()) {
			throw new ImageJobException.Rejected("Write what to draw before the options.");
		}
		return new ImageRequest(prompt, negative,
				new ImageSettings(provider, model, width, height, seed, steps, cfg, sampler));
	}

	private static int[] pair(String value, String separator, String name) {
		String[] parts = value.split(Pattern.quote(separator));
		try {
			if (parts.length == 2) {
				int a = Integer.parseInt(parts[0].strip());
				int b = Integer.parseInt(parts[1].strip());
				if (a > 0 && b > 0 && a <= 4096 && b <= 4096) {
					return new int[] { a, b };
				}
			}
		}
		catch (NumberFormatException bad) {
			// answered below
		}
		throw new ImageJobException.Rejected("--" + name + " wants two whole numbers like "
				+ ("x".equals(separator) ? "768x512" : "16:9") + ", not " + value + ".");
	}

	private static long number(String value, String name) {
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException bad) {
			throw new ImageJobException.Rejected("--" + name + " wants a whole number, not " + value + ".");
		}
	}

}
