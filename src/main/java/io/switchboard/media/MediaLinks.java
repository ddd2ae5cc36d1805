package io.switchboard.media;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import io.switchboard.system.Signatures;

import org.springframework.stereotype.Component;

/**
 * Signed, expiring links to stored images:
 * {@code /media/<sha256>?exp=<epoch s>&sig=<hmac>}. Chat platforms such as LINE fetch
 * images from a public HTTPS URL, so a link must work without a sign-in, yet must not let
 * anyone enumerate the store or keep a link forever.
 */
@Component
public class MediaLinks {

	private static final String SECRET_NAME = "media-link-signing-key";

	private final MediaProperties properties;

	private final Clock clock;

	private final Signatures.Signer signer;

	private final Optional<S3MediaBytes> s3;

	MediaLinks(MediaProperties properties, Clock clock, Signatures signatures, Optional<S3MediaBytes> s3) {
		this.properties = properties;
		this.s3 = s3;
		this.clock = clock;
		this.signer = properties.signingKey() != null && !properties.signingKey().isBlank()
				? Signatures.withKey(properties.signingKey()) : signatures.stored(SECRET_NAME);
	}

	/** A server-relative signed link, for pages this server renders. */
	public String path(String sha256) {
		long expires = clock.instant().plus(properties.linkTtl()).getEpochSecond();
		return "/media/" + sha256 + "?exp=" + expires + "&sig=" + sign(sha256, expires);
	}

	/**
	 * An absolute signed link under the public base URL, for chat platforms; with images
	 * on S3, S3's own presigned link (the platform fetches from S3, not from this
	 * server).
	 */
	public URI publicUrl(String sha256) {
		if (s3.isPresent()) {
			return s3.get().presignedUrl(sha256);
		}
		String base = properties.publicBaseUrl().toString();
		return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path(sha256));
	}

	/**
	 * A server-relative signed link to something else this server serves without a
	 * sign-in (a spoken answer), signed over its path.
	 * @param path starting with {@code /}, never under {@code /media/}
	 */
	public String signedPath(String path) {
		long expires = clock.instant().plus(properties.linkTtl()).getEpochSecond();
		return path + "?exp=" + expires + "&sig=" + sign(path, expires);
	}

	/** {@link #signedPath} under the public base URL, for chat platforms. */
	public URI publicSignedUrl(String path) {
		String base = properties.publicBaseUrl().toString();
		return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + signedPath(path));
	}

	/** Whether a {@link #signedPath} link's signature is right and it has not expired. */
	public boolean verifyPath(String path, long expires, String signature) {
		return path.startsWith("/") && verify(path, expires, signature);
	}

	/** Whether a link's signature is right and it has not expired. */
	public boolean verify(String sha256, long expires, String signature) {
		if (signature == null || Instant.ofEpochSecond(expires).isBefore(clock.instant())) {
			return false;
		}
		return signer.verify(sha256 + ":" + expires, signature);
	}

	private String sign(String sha256, long expires) {
		return signer.sign(sha256 + ":" + expires);
	}

}
