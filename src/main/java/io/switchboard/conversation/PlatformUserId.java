package io.switchboard.conversation;

/**
 * A person as one platform knows them, e.g. {@code (line, U4af4980629...)} or
 * {@code (web, alice)}. Several may point at one {@link User}.
 */
public record PlatformUserId(String platform, String id) {

	public PlatformUserId {
		if (platform == null || platform.isBlank() || id == null || id.isBlank()) {
			throw new IllegalArgumentException("platform and id must not be blank");
		}
	}

}
