package io.switchboard.media;

/**
 * A stored image.
 *
 * @param sha256 hex sha256 of the bytes, the store's key
 * @param mimeType the type read from the bytes themselves, never from a file name
 */
public record MediaRef(String sha256, String mimeType, long sizeBytes, int width, int height) {
}
