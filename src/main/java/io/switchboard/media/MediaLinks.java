package io.switchboard.media;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.jdbc.core.simple.JdbcClient;
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

	private final byte[] key;

	MediaLinks(MediaProperties properties, Clock clock, JdbcClient jdbc) {
		this.properties = properties;
		this.clock = clock;
		this.key = (properties.signingKey() != null && !properties.signingKey().isBlank() ? properties.signingKey()
				: storedSecret(jdbc, clock))
			.getBytes(StandardCharsets.UTF_8);
	}

	/** A server-relative signed link, for pages this server renders. */
	public String path(String sha256) {
		long expires = clock.instant().plus(properties.linkTtl()).getEpochSecond();
		return "/media/" + sha256 + "?exp=" + expires + "&sig=" + sign(sha256, expires);
	}

	/** An absolute signed link under the public base URL, for chat platforms. */
	public URI publicUrl(String sha256) {
		String base = properties.publicBaseUrl().toString();
		return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path(sha256));
	}

	/** Whether a link's signature is right and it has not expired. */
	public boolean verify(String sha256, long expires, String signature) {
		if (signature == null || Instant.ofEpochSecond(expires).isBefore(clock.instant())) {
			return false;
		}
		return MessageDigest.isEqual(sign(sha256, expires).getBytes(StandardCharsets.US_ASCII),
				signature.getBytes(StandardCharsets.US_ASCII));
	}

	private String sign(String sha256, long expires) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			byte[] signature = mac.doFinal((sha256 + ":" + expires).getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
		}
		catch (GeneralSecurityException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	private static String storedSecret(JdbcClient jdbc, Clock clock) {
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		// the first node to start wins; every other node reads the same value
		jdbc.sql("INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")
			.params(SECRET_NAME, Base64.getEncoder().encodeToString(random), clock.millis())
			.update();
		return jdbc.sql("SELECT value FROM server_secrets WHERE name = ?")
			.param(SECRET_NAME)
			.query(String.class)
			.single();
	}

}
