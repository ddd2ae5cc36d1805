package io.switchboard.media;

import java.util.Optional;

/**
 * Where image bytes are kept, by their sha256: the SQL database ({@link JdbcMediaBytes})
 * or an S3 bucket ({@link S3MediaBytes}) when {@code switchboard.storage.s3.bucket} names
 * one. The checks (a real image, its size) are made before, in {@link MediaStore}.
 */
interface MediaBytes {

	/** Keeps an image; keeping the same one again changes nothing. */
	void save(MediaRef ref, byte[] bytes);

	Optional<MediaRef> find(String sha256);

	Optional<Media> load(String sha256);

}
