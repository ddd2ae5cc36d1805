package io.switchboard.media;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The media store, bound from {@code switchboard.media.*}.
 *
 * @param maxImageSize the largest image accepted
 * @param maxImagePixels the most pixels (width times height) an image may have, against
 * decompression bombs
 * @param publicBaseUrl the address the outside world reaches this server at (HTTPS for
 * LINE), e.g. {@code https://bot.example.com}; links for chat platforms start with it
 * @param signingKey the secret that signs media links; when empty a random one is made
 * and kept in the database, so links survive restarts and work on every node
 * @param linkTtl how long a signed link stays valid
 */
@Validated
@ConfigurationProperties("switchboard.media")
public record MediaProperties(@DefaultValue("10MB") DataSize maxImageSize,
		@DefaultValue("40000000") @Min(1) long maxImagePixels, @DefaultValue("http://localhost:8080") URI publicBaseUrl,
		String signingKey, @DefaultValue("7d") Duration linkTtl) {

	@Override
	public String toString() {
		return "MediaProperties[maxImageSize=" + maxImageSize + ", publicBaseUrl=" + publicBaseUrl + ", signingKey="
				+ (signingKey == null ? "generated" : "******") + ", linkTtl=" + linkTtl + "]";
	}

}
