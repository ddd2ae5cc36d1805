package io.switchboard.image;

/**
 * What an image job makes (origin, upscale, vary strong, vary subtle, plus reroll).
 */
public enum JobKind {

	/** Four candidates from a prompt. */
	ORIGIN,
	/** One candidate (or an upscaled image) enlarged and refined: one image. */
	UPSCALE,
	/** Four new candidates that differ a lot from the chosen image. */
	VARY_STRONG,
	/** Four new candidates that differ a little from the chosen image. */
	VARY_SUBTLE,
	/** Four new candidates from the same prompt and settings as the parent. */
	REROLL;

	/** Whether the job's result is four candidates (a 2x2 grid) rather than one image. */
	public boolean producesCandidates() {
		return this != UPSCALE;
	}

}
