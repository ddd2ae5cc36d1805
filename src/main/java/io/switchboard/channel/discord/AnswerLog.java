package io.switchboard.channel.discord;

import java.time.Clock;
import java.util.Optional;

import io.switchboard.conversation.SessionId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which session each of the bot's answer messages belongs to, so that "Session info" on
 * an answer finds its session. Rows go when their session is removed.
 */
@Component
class AnswerLog {

	private final JdbcClient jdbc;

	private final Clock clock;

	AnswerLog(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	void record(long messageId, SessionId session) {
		jdbc.sql("""
				INSERT INTO discord_answers (message_id, session_id, created_at) VALUES (?, ?, ?)
				ON CONFLICT (message_id) DO NOTHING""").params(messageId, session.value(), clock.millis()).update();
	}

	Optional<SessionId> session(long messageId) {
		return jdbc.sql("SELECT session_id FROM discord_answers WHERE message_id = ?")
			.param(messageId)
			.query(Long.class)
			.optional()
			.map(SessionId::new);
	}

}
