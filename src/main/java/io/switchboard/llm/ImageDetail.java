package io.switchboard.llm;

import java.util.Locale;

/**
 * How closely a vision model looks at an image: a per-model setting, sent to
 * OpenAI-compatible servers as {@code image_url.detail}. Anthropic's API has no such
 * field and sizes images by its own rules; Gemini's media resolution is left at its
 * default.
 */
public enum ImageDetail {

	/**
	 * A 512x512 version of the image at a fixed price (85 tokens on GPT-4o): the
	 * cheapest, but small print and fine detail are lost.
	 */
	LOW,

	/**
	 * The image in 512-pixel tiles, each billed (a phone photo is about 765 tokens on
	 * GPT-4o): reads small print.
	 */
	HIGH,

	/** The model chooses from the image's size; OpenAI's own default. */
	AUTO;

	/** The value on the wire: {@code low}, {@code high} or {@code auto}. */
	public String wireValue() {
		return name().toLowerCase(Locale.ROOT);
	}

}
