package io.switchboard.conversation;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * An admin's suspension of an account: apart from the user's own chat state, which the
 * user may change at will. A suspended user can neither chat (on any platform), nor use
 * API keys, nor sign in to the web pages; only an admin lifts it. Changes are published
 * as {@link UserSuspensionChanged}, so that caches of who may do what forget at once.
 */
@Service
public class Suspensions {

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	Suspensions(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
		this.jdbc = jdbc;
		this.events = events;
		this.clock = clock;
	}

	/** Whether an admin has suspended the user. */
	public boolean isSuspended(UserId user) {
		return jdbc.sql("SELECT COUNT(*) FROM user_suspensions WHERE user_id = ?")
			.param(user.value())
			.query(Long.class)
			.single() > 0;
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
		if (!isSuspended(user)) {
			jdbc.sql("INSERT INTO user_suspensions (user_id, suspended_by, suspended_at) VALUES (?, ?, ?)")
				.params(user.value(), admin.id().value(), clock.millis())
				.update();
		}
		events.publishEvent(new UserSuspensionChanged(user, true));
	}

	/** Lifts a user's suspension. */
	public void lift(User admin, UserId user) {
		requireAdmin(admin);
		jdbc.sql("DELETE FROM user_suspensions WHERE user_id = ?").param(user.value()).update();
		events.publishEvent(new UserSuspensionChanged(user, false));
	}

	private static void requireAdmin(User admin) {
		if (admin == null || !admin.isAdmin()) {
			throw new ConversationException.NotAllowed("Only an admin may suspend users or lift a suspension.");
		}
	}

}
