package io.switchboard.channel.line;

import java.time.Clock;
import java.util.List;

import io.switchboard.conversation.MessagePart;
import io.switchboard.media.MediaRef;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Photos waiting for their question (send a photo, then ask about it). A photo belongs to
 * the user who sent it in the chat it was sent in, and waits a short while.
 */
@Component
@ConditionalOnLineChannel
class PendingPhotos {

	/** More photos than this in one question would crowd out the conversation. */
	static final int MAX_PER_QUESTION = 4;

	private final JdbcClient jdbc;

	private final LineProperties properties;

	private final Clock clock;

	PendingPhotos(JdbcClient jdbc, LineProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	/** Keeps a photo for the next question; the same LINE message is kept once. */
	void keep(String lineUserId, String chatId, String messageId, MediaRef photo) {
		jdbc.sql("""
				INSERT INTO line_pending_photos
				(line_user_id, chat_id, message_id, sha256, mime_type, width, height, received_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING""")
			.params(lineUserId, chatId, messageId, photo.sha256(), photo.mimeType(), photo.width(), photo.height(),
					clock.millis())
			.update();
	}

	/**
	 * The user's photos waiting in this chat, oldest first, at most
	 * {@link #MAX_PER_QUESTION}.
	 */
	List<MessagePart.Image> waiting(String lineUserId, String chatId) {
		return jdbc.sql("""
				SELECT sha256, mime_type, width, height FROM line_pending_photos
				WHERE line_user_id = ? AND chat_id = ? AND received_at >= ? ORDER BY received_at DESC, id DESC""")
			.params(lineUserId, chatId, clock.millis() - properties.pendingPhotoTtl().toMillis())
			.query((row, i) -> new MessagePart.Image(row.getString(1), row.getString(2), row.getInt(3), row.getInt(4)))
			.list()
			.stream()
			.limit(MAX_PER_QUESTION)
			.toList()
			.reversed();
	}

	/** Forgets the user's waiting photos in this chat (they went with a question). */
	void clear(String lineUserId, String chatId) {
		jdbc.sql("DELETE FROM line_pending_photos WHERE line_user_id = ? AND chat_id = ?")
			.params(lineUserId, chatId)
			.update();
	}

	/** Forgets a photo its sender took back (LINE's unsend event). */
	boolean forget(String messageId) {
		return jdbc.sql("DELETE FROM line_pending_photos WHERE message_id = ?").param(messageId).update() > 0;
	}

}
