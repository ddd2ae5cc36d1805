package io.switchboard.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The storage port for sessions and their topics; adapters as for {@link UserStorage}.
 */
interface SessionStorage {

	Optional<Session> find(SessionId id);

	/** The session a thread belongs to. */
	Optional<Session> findByThread(Place place);

	SessionId insert(UserId owner, String title, String model, String systemPrompt, boolean isPublic, Place origin,
			Instant now);

	/**
	 * The owner's sessions, and when asked the public ones of others, newest activity
	 * first.
	 */
	List<Session> listVisible(UserId user, boolean includePublic, int limit, int offset);

	long countVisible(UserId user, boolean includePublic);

	void update(SessionId id, SessionStore.Setting setting, Object value, Instant now);

	/**
	 * Raises the session's current topic by one, atomically (two concurrent calls make
	 * two topics), and returns the new one.
	 */
	int startNewTopic(SessionId id, Instant now);

	/** Records activity now: lists put the session first. */
	void touch(SessionId id, Instant now);

	/**
	 * {@link #touch} that returns the session as it then stands; empty when it is gone.
	 * By default a touch and a read; a store whose write can return what it wrote does.
	 */
	default Optional<Session> touched(SessionId id, Instant now) {
		touch(id, now);
		return find(id);
	}

	/** Removes a session with its messages. */
	void delete(SessionId id);

	List<SessionId> owned(UserId owner);

}
