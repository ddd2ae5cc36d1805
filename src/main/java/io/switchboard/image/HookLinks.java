package io.switchboard.image;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.switchboard.media.MediaProperties;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The addresses providers call back (midjourney-proxy's notify hook):
 * {@code <base>/api/images/hooks/<provider>?sig=<hmac>}. The signature, made with a key
 * kept in the database, lets the hook answer only calls that carry an address this server
 * gave out.
 */
@Component
class HookLinks {

	static final String PATH = "/api/images/hooks/";

	private static final String SECRET_NAME = "image-hook-signing-key";

	private final URI base;

	private final byte[] key;

	HookLinks(ImageProperties properties, MediaProperties media, JdbcClient jdbc, Clock clock) {
		this.base = properties.callbackBaseUrl() != null ? properties.callbackBaseUrl() : media.publicBaseUrl();
		this.key = storedSecret(jdbc, clock).getBytes(StandardCharsets.UTF_8);
	}

	URI url(String provider) {
		String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1)
				: base.toString();
		return URI.create(root + PATH + URLEncoder.encode(provider, StandardCharsets.UTF_8) + "?sig=" + sign(provider));
	}

	boolean verify(String provider, String signature) {
		return signature != null && MessageDigest.isEqual(sign(provider).getBytes(StandardCharsets.US_ASCII),
				signature.getBytes(StandardCharsets.US_ASCII));
	}

	private String sign(String provider) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(mac.doFinal(("image-hook:" + provider).getBytes(StandardCharsets.UTF_8)));
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
