package io.switchboard.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The storage port for users and their platform identities. Two adapters: SQL
 * ({@link UserStore}, SQLite and PostgreSQL) and DynamoDB ({@link DynamoUserStore}),
 * chosen by {@code switchboard.storage.type}; the storage contract tests hold them to the
 * same behaviour.
 */
interface UserStorage {

	Optional<User> find(UserId id);

	Optional<User> findByIdentity(PlatformUserId identity);

	/** The user's first identity on a platform, if they have one there. */
	Optional<PlatformUserId> identityOn(UserId user, String platform);

	/** A new user, starting with the settings new users get on their platform. */
	UserId insert(String displayName, UserRole role, ConversationProperties.NewUsers start, Instant now);

	/**
	 * Links an identity to a user created just before.
	 * @throws org.springframework.dao.DuplicateKeyException when the identity is taken (a
	 * concurrent first message of the same person won)
	 */
	void insertIdentity(PlatformUserId identity, UserId user, String displayName, Instant now);

	/** Every user, oldest first, a page at a time. */
	List<User> list(int limit, int offset);

	long count();

	/**
	 * Sets one setting and the modified time. (The settings are named by the SQL
	 * adapter's enum, whose column names never come from users; other adapters map it.)
	 */
	void updateSetting(UserId id, UserStore.Setting setting, Object value, Instant now);

	void setCurrentSession(UserId id, SessionId session, UserState state, Instant now);

	void touch(UserId id, Instant now);

	/** Forgets a removed session wherever it was somebody's current one. */
	void detachSession(SessionId session);

}
