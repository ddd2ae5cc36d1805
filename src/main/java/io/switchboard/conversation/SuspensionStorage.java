package io.switchboard.conversation;

/**
 * The storage port for admins' suspensions of accounts. Adapters: {@link SuspensionStore}
 * (SQL, {@code user_suspensions}) and {@link DynamoSuspensionStore}.
 */
interface SuspensionStorage {

	boolean isSuspended(UserId user);

	/** Records a suspension; one that exists is left as it is. */
	void add(UserId user, UserId by, long at);

	void remove(UserId user);

}
