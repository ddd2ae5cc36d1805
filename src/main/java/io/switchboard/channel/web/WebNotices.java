package io.switchboard.channel.web;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.assistant.Reply;
import io.switchboard.conversation.SessionId;
import io.switchboard.conversation.UserId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Commands sent from the chat page and what they answered, kept with their session: the
 * pipeline stores chat messages, but a command's replies (a {@code /help}, an image job
 * with its buttons) would otherwise only ever live in the page that asked.
 */
@Repository
class WebNotices {

	private static final TypeReference<List<Shown>> SHOWN = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	WebNotices(JdbcClient jdbc, ObjectMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/** One reply as stored: its text, its buttons and the image job it follows. */
	record Shown(String text, List<Button> actions, Long imageJob) {

		Shown {
			actions = actions == null ? List.of() : List.copyOf(actions);
		}

		static Shown of(Reply reply) {
			return new Shown(reply.text(),
					reply.actions()
						.stream()
						.map(action -> new Button(action.label(), action.command(),
								action.style().name().toLowerCase(Locale.ROOT)))
						.toList(),
					reply.imageJob());
		}

	}

	/** A reply's button: pressing it sends {@code command}. */
	record Button(String label, String command, String style) {
	}

	/** A command and its replies, as kept. */
	record Notice(long id, String command, List<Shown> replies, Instant at) {
	}

	void record(SessionId session, UserId user, String command, List<Reply> replies, Instant at) {
		String stored;
		try {
			stored = json.writeValueAsString(replies.stream().map(Shown::of).toList());
		}
		catch (JsonProcessingException impossible) {
			throw new IllegalStateException("replies are plain records", impossible);
		}
		jdbc.sql("INSERT INTO web_notices (session_id, user_id, command, replies, created_at) VALUES (?, ?, ?, ?, ?)")
			.params(session.value(), user.value(), command, stored, at.toEpochMilli())
			.update();
	}

	/** A session's notices from {@code since} on, oldest first, at most {@code limit}. */
	List<Notice> since(SessionId session, Instant since, int limit) {
		return jdbc
			.sql("SELECT id, command, replies, created_at FROM web_notices WHERE session_id = ? AND created_at >= ?"
					+ " ORDER BY created_at DESC, id DESC LIMIT ?")
			.params(session.value(), since.toEpochMilli(), limit)
			.query((row, i) -> new Notice(row.getLong(1), row.getString(2), read(row.getString(3)),
					Instant.ofEpochMilli(row.getLong(4))))
			.list()
			.reversed();
	}

	/**
	 * A session's notices from {@code since} up to {@code until} (exclusive), oldest
	 * first, at most {@code limit}: those among a window of older messages.
	 */
	List<Notice> between(SessionId session, Instant since, Instant until, int limit) {
		return jdbc
			.sql("SELECT id, command, replies, created_at FROM web_notices WHERE session_id = ? AND created_at >= ?"
					+ " AND created_at < ? ORDER BY created_at, id LIMIT ?")
			.params(session.value(), since.toEpochMilli(), until.toEpochMilli(), limit)
			.query((row, i) -> new Notice(row.getLong(1), row.getString(2), read(row.getString(3)),
					Instant.ofEpochMilli(row.getLong(4))))
			.list();
	}

	private List<Shown> read(String stored) {
		try {
			return json.readValue(stored, SHOWN);
		}
		catch (JsonProcessingException corrupt) {
			throw new IllegalStateException("stored web notice is not valid JSON", corrupt);
		}
	}

}
