package io.switchboard.channel.line;

import java.util.List;

import io.switchboard.conversation.MessagePart;
import io.switchboard.media.MediaRef;

/**
 * The storage port for photos waiting for their question (send a photo, then ask about
 * it). A photo belongs to the user who sent it in the chat it was sent in, and waits
 * {@code switchboard.line.pending-photo-ttl}. Adapters: {@link JdbcPendingPhotos} (the
 * {@code line_pending_photos} table) and {@link DynamoPendingPhotos}.
 */
interface PendingPhotos {

	/** More photos than this in one question would crowd out the conversation. */
	int MAX_PER_QUESTION = 4;

	/** Keeps a photo for the next question; the same LINE message is kept once. */
	void keep(String lineUserId, String chatId, String messageId, MediaRef photo);

	/**
	 * The user's photos waiting in this chat, oldest first, at most
	 * {@link #MAX_PER_QUESTION} (the newest ones).
	 */
	List<MessagePart.Image> waiting(String lineUserId, String chatId);

	/** Forgets the user's waiting photos in this chat (they went with a question). */
	void clear(String lineUserId, String chatId);

	/**
	 * Forgets a photo its sender took back (LINE's unsend event); false when none was.
	 */
	boolean forget(String messageId);

	/**
	 * Forgets photos nobody asked about, received before {@code before} (a store whose
	 * photos expire by themselves does nothing).
	 */
	void forgetOld(long before);

}
