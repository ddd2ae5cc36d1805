package io.switchboard.image;

/**
 * The knobs of a generation; {@code null} means the provider's default.
 *
 * @param provider the configured image provider's name, {@code null} for the default one
 * @param model the provider's model or checkpoint
 * @param seed a seed for repeatable results; {@code null} or -1 for random
 * @param cfgScale how closely to follow the prompt
 */
public record ImageSettings(String provider, String model, Integer width, Integer height, Long seed, Integer steps,
		Double cfgScale, String sampler) {

	public static final ImageSettings DEFAULTS = new ImageSettings(null, null, null, null, null, null, null, null);

}
