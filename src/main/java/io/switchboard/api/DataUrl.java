package io.switchboard.api;

import java.util.Base64;
import java.util.Optional;

/**
 * A base64 {@code data:} URL as clients put images in chat messages
 * ({@code data:image/png;base64,...}), read in one place for the translating path and for
 * storing a question in a session.
 *
 * @param mimeType what the URL says it holds, e.g. {@code image/png}
 * @param base64 the data, still encoded
 */
record DataUrl(String mimeType, String base64) {

	/** The URL's parts, or empty when it is not a base64 {@code data:} URL. */
	static Optional<DataUrl> parse(String url) {
		int comma = url.indexOf(',');
		if (!url.startsWith("data:") || comma < 0 || !url.substring(0, comma).endsWith(";base64")) {
			return Optional.empty();
		}
		return Optional.of(new DataUrl(url.substring(5, url.indexOf(';')), url.substring(comma + 1)));
	}

	/**
	 * The data, decoded.
	 * @throws IllegalArgumentException when it is not valid base64
	 */
	byte[] bytes() {
		return Base64.getDecoder().decode(base64);
	}

}
