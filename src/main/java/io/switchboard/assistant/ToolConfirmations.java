package io.switchboard.assistant;

import java.time.Instant;
import java.util.Optional;

import io.switchboard.conversation.SessionId;
import io.switchboard.conversation.UserId;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tool calls waiting for their user's yes or no ({@code tool_confirmations}). Nothing
 * waits on a row: the answer that asked is finished, the user's button press decides the
 * row once, and the answer that carries on finds the call it must run first by its own
 * id.
 */
@Component
class ToolConfirmations {

	/** A call that asked, and what became of it. */
	record Pending(long id, UserId user, SessionId session, long answer, String callId, String tool, String arguments,
			Instant expiresAt, Boolean confirmed) {
	}

	private static final String COLUMNS = """
			id, user_id, session_id, answer_id, call_id, tool, arguments, expires_at, decision""";

	private static final RowMapper<Pending> ROW = (row, i) -> new Pending(row.getLong(1), new UserId(row.getLong(2)),
			new SessionId(row.getLong(3)), row.getLong(4), row.getString(5), row.getString(6), row.getString(7),
			Instant.ofEpochMilli(row.getLong(8)),
			row.getString(9) == null ? null : "confirmed".equals(row.getString(9)));

	private final JdbcClient jdbc;

	ToolConfirmations(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	long ask(UserId user, SessionId session, long answer, String callId, String tool, String arguments, Instant now,
			Instant expiresAt) {
		return jdbc.sql("""
				INSERT INTO tool_confirmations
				       (user_id, session_id, answer_id, call_id, tool, arguments, expires_at, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
			.params(user.value(), session.value(), answer, callId, tool, arguments, expiresAt.toEpochMilli(),
					now.toEpochMilli())
			.query(Long.class)
			.single();
	}

	/** The call the answer asked about and that nobody has decided yet. */
	Optional<Pending> askedIn(long answer) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM tool_confirmations WHERE answer_id = ? AND decision IS NULL")
			.param(answer)
			.query(ROW)
			.optional();
	}

	Optional<Pending> find(long id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM tool_confirmations WHERE id = ?").param(id).query(ROW).optional();
	}

	/**
	 * Decides the call once: true when this press did (it is the user's, undecided and
	 * not expired), false when it was decided before, expired, or someone else's.
	 */
	boolean decide(long id, UserId user, boolean confirmed, Instant now) {
		return jdbc.sql("""
				UPDATE tool_confirmations SET decision = ?
				 WHERE id = ? AND user_id = ? AND decision IS NULL AND expires_at >= ?""")
			.params(confirmed ? "confirmed" : "declined", id, user.value(), now.toEpochMilli())
			.update() > 0;
	}

	/** The answer that carries on after the decision. */
	void continuedIn(long id, long answer) {
		jdbc.sql("UPDATE tool_confirmations SET continued_answer = ? WHERE id = ?").params(answer, id).update();
	}

	/** The decided call an answer carries on from, if it is such an answer. */
	Optional<Pending> continuing(long answer) {
		return jdbc
			.sql("SELECT " + COLUMNS + " FROM tool_confirmations WHERE continued_answer = ? AND decision IS NOT NULL")
			.param(answer)
			.query(ROW)
			.optional();
	}

}
