package io.switchboard.comic;

/**
 * The image knobs every panel of a comic is drawn with (seed, CFG scale, sampler, steps);
 * {@code null} means the provider's default.
 *
 * @param provider the image provider's name, {@code null} for the server's default
 * @param seed the same seed for every panel keeps their look close; {@code null} for a
 * random one per job
 */
public record PanelSettings(String provider, Long seed, Integer steps, Double cfgScale, String sampler) {

	public static final PanelSettings DEFAULTS = new PanelSettings(null, null, null, null, null);

}
