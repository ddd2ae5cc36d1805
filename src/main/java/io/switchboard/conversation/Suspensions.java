package io.switchboard.conversation;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * An admin's suspension of an account: apart from the user's own chat state, which the
 * user may change at will. A suspended user can neither chat (on any platform), nor use
 * API keys, nor sign in to the web pages; only an admin lifts it. Changes are published
 * as {@link UserSuspensionChanged}, so that caches of who may do what forget at once.
 */
@Service
public class Suspensions {

	private final SuspensionStorage store;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	Suspensions(SuspensionStorage store, ApplicationEventPublisher events, Clock clock) {
		this.store = store;
		this.events = events;
		this.clock = clock;
	}

	/** Whether an admin has suspended the user. */
	public boolean isSuspended(UserId user) {
		return store.isSuspended(user);
	}

	/**
	 * Suspends a user.
	 * @throws ConversationException.NotAllowed unless {@code admin} is one, or when an
	 * admin would suspend themself (nobody could lift it then)
	 */
	public void suspend(User admin, UserId user) {
		requireAdmin(admin);
		if (admin.id().equals(user)) {
			throw new ConversationException.NotAllowed("You cannot suspend yourself.");
		}
		store.add(user, admin.id(), clock.millis());
		events.publishEvent(new UserSuspensionChanged(user, true));
	}

	/** Lifts a user's suspension. */
	public void lift(User admin, UserId user) {
		requireAdmin(admin);
		store.remove(user);
		events.publishEvent(new UserSuspensionChanged(user, false));
	}

	private static void requireAdmin(User admin) {
		if (admin == null || !admin.isAdmin()) {
			throw new ConversationException.NotAllowed("Only an admin may suspend users or lift a suspension.");
		}
	}

}
