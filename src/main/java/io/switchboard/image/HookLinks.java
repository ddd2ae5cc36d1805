package io.switchboard.image;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import io.switchboard.media.MediaProperties;
import io.switchboard.system.Signatures;

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

	private final Signatures.Signer signer;

	HookLinks(ImageProperties properties, MediaProperties media, Signatures signatures) {
		this.base = properties.callbackBaseUrl() != null ? properties.callbackBaseUrl() : media.publicBaseUrl();
		this.signer = signatures.stored(SECRET_NAME);
	}

	URI url(String provider) {
		String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1)
				: base.toString();
		return URI.create(root + PATH + URLEncoder.encode(provider, StandardCharsets.UTF_8) + "?sig=" + sign(provider));
	}

	boolean verify(String provider, String signature) {
		return signer.verify("image-hook:" + provider, signature);
	}

	private String sign(String provider) {
		return signer.sign("image-hook:" + provider);
	}

}
