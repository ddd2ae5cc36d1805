package db.migration.common;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Moves what the old per-channel delivery mechanisms had in flight into the channel
 * pipeline's tables (created by V70, the old tables dropped by V72), in the JSON the
 * channels' renderers read:
 * <ul>
 * <li>unsent {@code line_outbox} calls become LINE notices (their texts, an image as its
 * link);</li>
 * <li>Slack image posts and Discord image messages not finished become image job
 * deliveries that edit the message they posted;</li>
 * <li>Discord comic posts not sent become comic deliveries;</li>
 * <li>events the old inbox had taken in but not processed: its own image and comic
 * follow-ups become deliveries, platform events go to {@code channel_backlog}, which each
 * channel takes in again at start-up (their keys are forgotten, so they are not refused
 * as duplicates).</li>
 * </ul>
 * Plain JDBC and Jackson, the same on SQLite and PostgreSQL.
 */
public class V71__MoveInFlightDeliveries extends BaseJavaMigration {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String OLD_INBOX_TASK = "channel-inbound-event";

	private static final String OLD_CLEANUP_TASK = "channel-inbound-event-cleanup";

	@Override
	public void migrate(Context context) throws Exception {
		Connection connection = context.getConnection();
		long now = System.currentTimeMillis();
		lineOutbox(connection, now);
		slackImagePosts(connection, now);
		discordImageMessages(connection, now);
		discordComicPosts(connection, now);
		oldInbox(connection, now);
	}

	// ------------------------------------------------------------------ LINE

	private void lineOutbox(Connection connection, long now) throws SQLException, IOException {
		Map<String, List<String>> texts = new LinkedHashMap<>();
		Map<String, ObjectNode> addresses = new LinkedHashMap<>();
		try (Statement select = connection.createStatement(); ResultSet rows = select.executeQuery("""
				SELECT event_id, seq, chat_id, reply_token, reply_until, messages FROM line_outbox
				 WHERE sent_at IS NULL ORDER BY event_id, seq""")) {
			while (rows.next()) {
				String event = rows.getString(1);
				addresses.computeIfAbsent(event, key -> {
					try {
						return lineAddress(rows.getString(3), rows.getString(3).startsWith("U"),
								rows.getInt(2) == 0 ? rows.getString(4) : null, rows.getLong(5));
					}
					catch (SQLException failed) {
						throw new IllegalStateException(failed);
					}
				});
				for (JsonNode message : JSON.readTree(rows.getString(6))) {
					String text = switch (message.path("type").asText()) {
						case "text" -> message.path("text").asText();
						case "image" -> message.path("originalContentUrl").asText();
						default -> null;
					};
					if (text != null && !text.isBlank()) {
						texts.computeIfAbsent(event, key -> new ArrayList<>()).add(text);
					}
				}
			}
		}
		for (Map.Entry<String, List<String>> event : texts.entrySet()) {
			ObjectNode address = addresses.get(event.getKey());
			insert(connection, "line", "event:outbox:" + event.getKey(), address.path("chat").asText(), address,
					notices("outbox:" + event.getKey(), event.getValue()), null, null, now);
		}
	}

	/** A LINE address; in a one-to-one chat the user is the chat. */
	private static ObjectNode lineAddress(String chat, boolean direct, String replyToken, long replyUntil) {
		ObjectNode address = JSON.createObjectNode().put("chat", chat);
		if (direct) {
			address.put("user", chat);
		}
		if (replyToken != null) {
			address.put("replyToken", replyToken).put("replyUntil", replyUntil);
		}
		return address;
	}

	// ------------------------------------------------------------------ Slack

	private void slackImagePosts(Connection connection, long now) throws SQLException {
		try (Statement select = connection.createStatement(); ResultSet rows = select.executeQuery("""
				SELECT job_id, channel_id, thread_ts, status_ts FROM slack_image_posts
				 WHERE delivered_at IS NULL""")) {
			while (rows.next()) {
				long job = rows.getLong(1);
				String channel = rows.getString(2);
				String thread = rows.getString(3);
				String status = rows.getString(4);
				ObjectNode refs = null;
				if (status != null) {
					refs = JSON.createObjectNode();
					refs.putArray("messages").add(status);
					refs.put("thread", thread);
				}
				Long owner = owner(connection, job);
				if (owner != null) {
					insert(connection, "slack", "image:" + job, slackLane(channel, thread),
							slackThread(channel, thread), image(job, owner), refs, null, now);
				}
			}
		}
	}

	private static ObjectNode slackThread(String channel, String thread) {
		ObjectNode address = JSON.createObjectNode().put("kind", "thread").put("channel", channel);
		if (thread != null) {
			address.put("thread", thread);
		}
		return address;
	}

	private static String slackLane(String channel, String thread) {
		return channel + ":" + (thread == null ? "" : thread);
	}

	// ---------------------------------------------------------------- Discord

	private void discordImageMessages(Connection connection, long now) throws SQLException {
		try (Statement select = connection.createStatement(); ResultSet rows = select.executeQuery("""
				SELECT job_id, owner_id, channel_id, message_id, rendered FROM discord_image_messages
				 WHERE finished = ?""".replace("?", "FALSE"))) {
			while (rows.next()) {
				long channel = rows.getLong(3);
				ObjectNode refs = JSON.createObjectNode();
				refs.putArray("messages").add(rows.getLong(4));
				insert(connection, "discord", "image:" + rows.getLong(1), Long.toString(channel),
						JSON.createObjectNode().put("kind", "channel").put("channel", channel),
						image(rows.getLong(1), rows.getLong(2)), refs, rows.getString(5), now);
			}
		}
	}

	private void discordComicPosts(Connection connection, long now) throws SQLException {
		try (Statement select = connection.createStatement(); ResultSet rows = select.executeQuery("""
				SELECT comic_id, requester, channel_id, direct, title, strip_sha256, reason
				  FROM discord_comic_posts WHERE sent_at IS NULL""")) {
			while (rows.next()) {
				long channel = rows.getLong(3);
				ObjectNode address = JSON.createObjectNode().put("kind", "channel").put("channel", channel);
				if (rows.getBoolean(4)) {
					address.put("dmUser", rows.getString(2));
				}
				insert(connection, "discord", "comic:" + rows.getLong(1),
						channel != 0 ? Long.toString(channel) : "dm:" + rows.getString(2), address,
						comic(rows.getLong(1), rows.getString(2), rows.getString(5), rows.getString(6),
								rows.getString(7)),
						null, null, now);
			}
		}
	}

	// -------------------------------------------------------------- old inbox

	private void oldInbox(Connection connection, long now) throws SQLException, IOException {
		List<String[]> envelopes = new ArrayList<>();
		try (PreparedStatement select = connection
			.prepareStatement("SELECT task_instance, task_data FROM scheduled_tasks WHERE task_name = ?")) {
			select.setString(1, OLD_INBOX_TASK);
			try (ResultSet rows = select.executeQuery()) {
				while (rows.next()) {
					envelopes.add(new String[] { rows.getString(1), envelope(rows.getBytes(2)) });
				}
			}
		}
		for (String[] task : envelopes) {
			if (task[1] == null) {
				continue;
			}
			JsonNode envelope = JSON.readTree(task[1]);
			String platform = envelope.path("platform").asText();
			String eventId = envelope.path("eventId").asText();
			String payload = envelope.path("payload").asText();
			if (eventId.startsWith("image-job:") && "line".equals(platform)) {
				JsonNode data = JSON.readTree(payload);
				lineImage(connection, data.path("job").asLong(), data.path("owner").asLong(), now);
			}
			else if (eventId.startsWith("comic:")) {
				JsonNode data = JSON.readTree(payload);
				oldComic(connection, platform, data, now);
			}
			else {
				try (PreparedStatement backlog = connection.prepareStatement("""
						INSERT INTO channel_backlog (platform, event_id, payload, created_at) VALUES (?, ?, ?, ?)
						ON CONFLICT (platform, event_id) DO NOTHING""")) {
					backlog.setString(1, platform);
					backlog.setString(2, eventId);
					backlog.setString(3, payload);
					backlog.setLong(4, now);
					backlog.executeUpdate();
				}
				try (PreparedStatement forget = connection
					.prepareStatement("DELETE FROM inbound_events WHERE platform = ? AND event_id = ?")) {
					forget.setString(1, platform);
					forget.setString(2, eventId);
					forget.executeUpdate();
				}
			}
		}
		try (PreparedStatement delete = connection
			.prepareStatement("DELETE FROM scheduled_tasks WHERE task_name IN (?, ?)")) {
			delete.setString(1, OLD_INBOX_TASK);
			delete.setString(2, OLD_CLEANUP_TASK);
			delete.executeUpdate();
		}
	}

	/** db-scheduler kept each task's data as a Java-serialized string. */
	private static String envelope(byte[] data) {
		if (data == null) {
			return null;
		}
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
			Object value = in.readObject();
			return value instanceof String text ? text : null;
		}
		catch (IOException | ClassNotFoundException unreadable) {
			return null;
		}
	}

	private void lineImage(Connection connection, long job, long owner, long now) throws SQLException {
		try (PreparedStatement select = connection
			.prepareStatement("SELECT requester_id, origin_kind, origin_space FROM image_jobs WHERE id = ?")) {
			select.setLong(1, job);
			try (ResultSet row = select.executeQuery()) {
				if (row.next()) {
					boolean group = "group".equals(row.getString(2)) && row.getString(3) != null;
					String chat = group ? row.getString(3) : row.getString(1);
					insert(connection, "line", "image:" + job, chat, lineAddress(chat, !group, null, 0),
							image(job, owner), null, null, now);
				}
			}
		}
	}

	private void oldComic(Connection connection, String platform, JsonNode data, long now) throws SQLException {
		long comic = data.path("comic").asLong();
		ObjectNode content = comic(comic, null, text(data, "title"), text(data, "strip"), text(data, "reason"));
		if ("line".equals(platform)) {
			String chat = data.path("chat").asText();
			insert(connection, "line", "comic:" + comic, chat, lineAddress(chat, chat.startsWith("U"), null, 0),
					content, null, null, now);
		}
		else if ("slack".equals(platform)) {
			String channel = data.path("channel").asText();
			String thread = text(data, "thread");
			insert(connection, "slack", "comic:" + comic, slackLane(channel, thread), slackThread(channel, thread),
					content, null, null, now);
		}
	}

	private static String text(JsonNode data, String field) {
		return data.hasNonNull(field) ? data.path(field).asText() : null;
	}

	// ---------------------------------------------------------------- helpers

	private static Long owner(Connection connection, long job) throws SQLException {
		try (PreparedStatement select = connection.prepareStatement("SELECT owner_id FROM image_jobs WHERE id = ?")) {
			select.setLong(1, job);
			try (ResultSet row = select.executeQuery()) {
				return row.next() ? row.getLong(1) : null;
			}
		}
	}

	private static ObjectNode image(long job, long owner) {
		return JSON.createObjectNode().put("type", "image").put("job", job).put("owner", owner);
	}

	private static ObjectNode comic(long comic, String requester, String title, String strip, String failure) {
		ObjectNode content = JSON.createObjectNode().put("type", "comic").put("comic", comic);
		if (requester != null) {
			content.put("requester", requester);
		}
		if (title != null) {
			content.put("title", title);
		}
		if (strip != null) {
			content.put("strip", strip);
		}
		if (failure != null) {
			content.put("failure", failure);
		}
		return content;
	}

	private static ObjectNode notices(String event, List<String> texts) {
		ObjectNode content = JSON.createObjectNode().put("type", "notices").put("event", event);
		ArrayNode replies = content.putArray("replies");
		for (String text : texts) {
			replies.addObject().put("text", text).putArray("actions");
		}
		return content;
	}

	private static void insert(Connection connection, String platform, String key, String lane, ObjectNode address,
			ObjectNode content, ObjectNode refs, String shown, long now) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement(
				"""
						INSERT INTO channel_deliveries (platform, dedup_key, lane, address, content, state, refs, shown, next_at,
						                                created_at, updated_at)
						VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)
						ON CONFLICT (platform, dedup_key) DO NOTHING""")) {
			insert.setString(1, platform);
			insert.setString(2, key);
			insert.setString(3, lane);
			insert.setString(4, address.toString());
			insert.setString(5, content.toString());
			insert.setString(6, refs == null ? null : refs.toString());
			insert.setString(7, shown);
			insert.setLong(8, now);
			insert.setLong(9, now);
			insert.setLong(10, now);
			insert.executeUpdate();
		}
	}

}
