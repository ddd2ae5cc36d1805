package io.switchboard.media;

/** A stored image with its bytes. */
public record Media(MediaRef ref, byte[] bytes) {
}
