package io.switchboard.media;

/** Bytes the media store will not keep; the message says why, for the user. */
public final class MediaRejected extends RuntimeException {

	public MediaRejected(String message) {
		super(message);
	}

}
