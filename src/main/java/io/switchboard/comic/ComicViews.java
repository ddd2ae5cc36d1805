package io.switchboard.comic;

import java.util.Map;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.image.ImageJob;
import io.switchboard.media.MediaLinks;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * What both the studio page and the REST API need: the signed-in user, and comic views.
 */
@Component
class ComicViews {

	/** The platform of web accounts (see the web channel). */
	static final String WEB = Comics.WEB;

	private final Comics comics;

	private final Conversations conversations;

	private final MediaLinks links;

	ComicViews(Comics comics, Conversations conversations, MediaLinks links) {
		this.comics = comics;
		this.conversations = conversations;
		this.links = links;
	}

	/** The user behind a signed-in web account. */
	User user(Authentication authentication) {
		if (authentication == null || !authentication.isAuthenticated()) {
			throw new ComicException.NotFound("Sign in first.");
		}
		return conversations.findUser(new PlatformUserId(WEB, authentication.getName()))
			.orElseThrow(() -> new ComicException.NotFound("Sign in first."));
	}

	ComicView view(Comic comic) {
		Map<Integer, ImageJob> jobs = comics.panelJobs(comic);
		return ComicView.of(comic, jobs, comics.storyModel(comic), comics.missingFontScripts(), links);
	}

	/**
	 * A comic without its jobs' progress and candidates (no look-up per panel), for the
	 * gallery.
	 */
	ComicView summary(Comic comic) {
		return ComicView.of(comic, Map.of(), comics.storyModel(comic), comics.missingFontScripts(), links);
	}

	String link(String sha256) {
		return links.path(sha256);
	}

}
