package io.switchboard.conversation;

import java.time.Instant;
import java.util.List;

/**
 * The storage port for users' remembered facts, oldest first. Adapters:
 * {@link MemoryStore} (SQL, {@code user_memories}) and {@link DynamoMemoryStore}.
 */
interface MemoryStorage {

	/** The user's facts, oldest first, numbered from 1. */
	List<Fact> list(UserId user);

	long count(UserId user);

	void add(UserId user, String fact, Instant now);

	/** Forgets one fact of the user's; false when the user has none by that id. */
	boolean delete(UserId user, long id);

	/** Forgets all the user's facts; returns how many. */
	int deleteAll(UserId user);

}
