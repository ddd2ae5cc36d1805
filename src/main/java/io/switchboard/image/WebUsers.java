package io.switchboard.image;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * The signed-in web user behind a request. A web account is the platform identity
 * {@code (web, username)}, so this module needs nothing of the web channel's internals.
 */
@Component
class WebUsers {

	static final String PLATFORM = "web";

	private final Conversations conversations;

	WebUsers(Conversations conversations) {
		this.conversations = conversations;
	}

	User of(Authentication authentication) {
		PlatformUserId identity = identity(authentication);
		return conversations.findUser(identity)
			.orElseThrow(() -> new ImageJobException.NotFound("There is no user behind this sign-in."));
	}

	static PlatformUserId identity(Authentication authentication) {
		return new PlatformUserId(PLATFORM, authentication.getName());
	}

	static ImageOrigin origin(Authentication authentication) {
		return new ImageOrigin(identity(authentication), Place.web());
	}

}
