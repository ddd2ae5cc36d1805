package io.switchboard.channel.line;

import java.time.Clock;
import java.util.List;

import io.switchboard.conversation.MessagePart;
import io.switchboard.media.MediaRef;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Photos waiting in the SQL database's {@code line_pending_photos} table. */
@Component
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "jdbc", matchIfMissing = true)
@ConditionalOnLineChannel
class JdbcPendingPhotos implements PendingPhotos {

	private final JdbcClient jdbc;

	private final LineProperties properties;

	private final Clock clock;

	JdbcPendingPhotos(JdbcClient jdbc, LineProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public void keep(String lineUserId, String chatId, String messageId, MediaRef photo) {
		jdbc.sql("""
				INSERT INTO line_pending_photos
				(line_user_id, chat_id, message_id, sha256, mime_type, width, height, received_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING""")
			.params(lineUserId, chatId, messageId, photo.sha256(), photo.mimeType(), photo.width(), photo.height(),
					clock.millis())
			.update();
	}

	@Override
	public List<MessagePart.Image> waiting(String lineUserId, String chatId) {
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

	@Override
	public void clear(String lineUserId, String chatId) {
		jdbc.sql("DELETE FROM line_pending_photos WHERE line_user_id = ? AND chat_id = ?")
			.params(lineUserId, chatId)
			.update();
	}

	@Override
	public boolean forget(String messageId) {
		return jdbc.sql("DELETE FROM line_pending_photos WHERE message_id = ?").param(messageId).update() > 0;
	}

	@Override
	public void forgetOld(long before) {
		jdbc.sql("DELETE FROM line_pending_photos WHERE received_at < ?").param(before).update();
	}

}
