package io.switchboard.media;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.switchboard.storage.StorageProperties;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Repository;

/**
 * Image bytes in an S3 bucket, content-addressed: object {@code media/<sha256>}, with its
 * type as the object's content type and its size in pixels as metadata. Links to them are
 * S3's presigned links, which expire after {@code switchboard.storage.s3.link-ttl}.
 */
@Repository
@ConditionalOnExpression("!'${switchboard.storage.s3.bucket:}'.isBlank()")
class S3MediaBytes implements MediaBytes {

	private final S3Client s3;

	private final S3Presigner presigner;

	private final String bucket;

	private final Duration linkTtl;

	S3MediaBytes(S3Client s3, S3Presigner presigner, StorageProperties properties) {
		this.s3 = s3;
		this.presigner = presigner;
		this.bucket = properties.s3().bucket();
		this.linkTtl = properties.s3().linkTtl();
	}

	static String key(String sha256) {
		return "media/" + sha256;
	}

	/** A look first: the same image sent again is not uploaded again. */
	@Override
	public void save(MediaRef ref, byte[] bytes) {
		if (find(ref.sha256()).isPresent()) {
			return;
		}
		s3.putObject(
				request -> request.bucket(bucket)
					.key(key(ref.sha256()))
					.contentType(ref.mimeType())
					.metadata(Map.of("width", Integer.toString(ref.width()), "height", Integer.toString(ref.height()))),
				RequestBody.fromBytes(bytes));
	}

	@Override
	public Optional<MediaRef> find(String sha256) {
		if (!MediaStore.isSha256(sha256)) {
			return Optional.empty();
		}
		try {
			HeadObjectResponse head = s3.headObject(request -> request.bucket(bucket).key(key(sha256)));
			return Optional.of(ref(sha256, head.contentType(), head.contentLength(), head.metadata()));
		}
		catch (NoSuchKeyException missing) {
			return Optional.empty();
		}
		catch (S3Exception failed) {
			if (failed.statusCode() == 404) {
				return Optional.empty();
			}
			throw failed;
		}
	}

	@Override
	public Optional<Media> load(String sha256) {
		if (!MediaStore.isSha256(sha256)) {
			return Optional.empty();
		}
		try {
			ResponseBytes<GetObjectResponse> object = s3
				.getObjectAsBytes(request -> request.bucket(bucket).key(key(sha256)));
			GetObjectResponse response = object.response();
			return Optional
				.of(new Media(ref(sha256, response.contentType(), response.contentLength(), response.metadata()),
						object.asByteArray()));
		}
		catch (NoSuchKeyException missing) {
			return Optional.empty();
		}
	}

	/** A link to the image that S3 itself serves, valid for the configured time. */
	URI presignedUrl(String sha256) {
		return URI.create(
				presigner
					.presignGetObject(request -> request.signatureDuration(linkTtl)
						.getObjectRequest(get -> get.bucket(bucket).key(key(sha256))))
					.url()
					.toString());
	}

	private static MediaRef ref(String sha256, String mime, Long size, Map<String, String> metadata) {
		return new MediaRef(sha256, mime, size == null ? 0 : size,
				Integer.parseInt(metadata.getOrDefault("width", "0")),
				Integer.parseInt(metadata.getOrDefault("height", "0")));
	}

}
