package io.switchboard.moderation;

import java.time.Duration;
import java.util.Set;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Moderation, bound from {@code switchboard.moderation.*}. Off until platforms are named.
 *
 * @param platforms where chat messages and image prompts are checked: {@code discord},
 * {@code line}, {@code slack}, {@code web}; none by default
 * @param provider the OpenAI-compatible provider (from {@code switchboard.llm.providers})
 * whose {@code /moderations} endpoint checks them, with its base URL and key
 * @param model the moderation model asked
 * @param timeout how long a check may take before the message is set aside unchecked
 */
@Validated
@ConfigurationProperties("switchboard.moderation")
public record ModerationProperties(Set<String> platforms, String provider,
		@NotBlank @DefaultValue("omni-moderation-latest") String model, @DefaultValue("10s") Duration timeout) {

	/** The platforms people write on, and so the ones moderation may be turned on for. */
	static final Set<String> PLATFORMS = Set.of("discord", "line", "slack", "web");

	public ModerationProperties {
		platforms = platforms == null ? Set.of() : Set.copyOf(platforms);
		for (String platform : platforms) {
			if (!PLATFORMS.contains(platform)) {
				throw new IllegalArgumentException("switchboard.moderation.platforms: no such platform \"" + platform
						+ "\"; the platforms are " + String.join(", ", PLATFORMS.stream().sorted().toList()));
			}
		}
		if (!platforms.isEmpty() && (provider == null || provider.isBlank())) {
			throw new IllegalArgumentException("switchboard.moderation.provider: name the OpenAI-compatible provider "
					+ "(under switchboard.llm.providers) that checks messages on " + String.join(", ", platforms));
		}
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("switchboard.moderation.timeout must be positive, not " + timeout);
		}
	}

}
