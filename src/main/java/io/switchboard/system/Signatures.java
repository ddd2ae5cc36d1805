package io.switchboard.system;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * HMAC-SHA256 signatures for links the server hands out (signed media links, provider
 * callbacks). Keys are either configured or made once and kept in the database, so that
 * links survive restarts and are valid on every node.
 */
@Component
public class Signatures {

	private final JdbcClient jdbc;

	private final Clock clock;

	Signatures(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * A signer whose key is made on first use and kept in the database under
	 * {@code name}.
	 */
	public Signer stored(String name) {
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		// the first node to start wins; every other node reads the same value
		jdbc.sql("INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING")
			.params(name, Base64.getEncoder().encodeToString(random), clock.millis())
			.update();
		String key = jdbc.sql("SELECT value FROM server_secrets WHERE name = ?")
			.param(name)
			.query(String.class)
			.single();
		return withKey(key);
	}

	/** A signer with a configured key. */
	public static Signer withKey(String key) {
		return new Signer(key.getBytes(StandardCharsets.UTF_8));
	}

	/** Signs and checks messages with one key; the key never leaves it. */
	public static final class Signer {

		private final SecretKeySpec key;

		private Signer(byte[] key) {
			this.key = new SecretKeySpec(key, "HmacSHA256");
		}

		/** The message's signature, URL-safe base64 without padding. */
		public String sign(String message) {
			try {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(key);
				return Base64.getUrlEncoder()
					.withoutPadding()
					.encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
			}
			catch (GeneralSecurityException impossible) {
				throw new IllegalStateException(impossible);
			}
		}

		/** Whether a signature is the message's, compared in constant time. */
		public boolean verify(String message, String signature) {
			return signature != null && MessageDigest.isEqual(sign(message).getBytes(StandardCharsets.US_ASCII),
					signature.getBytes(StandardCharsets.US_ASCII));
		}

		@Override
		public String toString() {
			return "Signer[******]";
		}

	}

}
