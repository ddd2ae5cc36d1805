package io.switchboard.conversation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Messages. Every read is bounded and goes through the {@code (session_id, topic, seq)}
 * index, so reading a turn's context costs the same for ten messages as for a hundred
 * thousand.
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "jdbc", matchIfMissing = true)
class MessageStore implements MessageStorage {

	private static final String SELECT_MESSAGE = """
			SELECT id, session_id, topic, seq, role, author_id, content, token_count, model, provider, tokens_in,
			       tokens_out, cost_nanos, latency_ms, context_omitted, finish_reason, created_at, state, note, reply_to,
			       tokens_cached
			  FROM messages
			""";

	private final JdbcClient jdbc;

	private final RowMapper<StoredMessage> mapper;

	MessageStore(JdbcClient jdbc, PartsCodec parts) {
		this.jdbc = jdbc;
		this.mapper = (row, index) -> map(row, parts);
	}

	/** The next order number in a topic. */
	int nextSeq(SessionId session, int topic) {
		return jdbc.sql("SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE session_id = ? AND topic = ?")
			.params(session.value(), topic)
			.query(Integer.class)
			.single();
	}

	/**
	 * The next order number: the concurrent writer that takes the same one is refused by
	 * the unique index, and {@link Conversations} tries again (the session row it touched
	 * first makes PostgreSQL writers wait their turn, SQLite has one writer).
	 */
	@Override
	public int reserveSeqs(SessionId session, int topic, int count) {
		return nextSeq(session, topic);
	}

	/**
	 * Inserts a message and returns its id.
	 * @param state for an assistant message, how its question stands; {@code null} for a
	 * user message
	 * @param note why the question was not answered, or {@code null}
	 * @param replyTo for an assistant message, the question's id
	 */
	public long insert(SessionId session, int topic, int seq, MessageRole role, UserId author, String content,
			int tokenCount, AnswerRecord answer, Instant now, AnswerState state, String note, Long replyTo) {
		return jdbc.sql("""
				INSERT INTO messages (session_id, topic, seq, role, author_id, content, token_count, model, provider,
				                      tokens_in, tokens_out, cost_nanos, latency_ms, context_omitted, finish_reason,
				                      created_at, state, note, reply_to, tokens_cached)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				RETURNING id""")
			.params(session.value(), topic, seq, role.name().toLowerCase(java.util.Locale.ROOT),
					author == null ? null : author.value(), content, tokenCount, answer == null ? null : answer.model(),
					answer == null ? null : answer.provider(), answer == null ? null : answer.tokensIn(),
					answer == null ? null : answer.tokensOut(), answer == null ? null : answer.costNanos(),
					answer == null ? null : answer.latencyMillis(), answer == null ? null : answer.contextOmitted(),
					answer == null ? null : answer.finishReason(), now.toEpochMilli(),
					state == null ? null : state.dbValue(), note, replyTo,
					answer == null ? null : answer.tokensCached())
			.query(Long.class)
			.single();
	}

	public Optional<StoredMessage> find(long id) {
		return jdbc.sql(SELECT_MESSAGE + " WHERE id = ?").param(id).query(mapper).optional();
	}

	/**
	 * Writes a pending answer's text; false when it is not pending any more (answered or
	 * given up by an earlier run of the same turn).
	 */
	public boolean answer(long id, String content, int tokenCount, AnswerRecord answer) {
		return jdbc
			.sql("""
					UPDATE messages SET content = ?, token_count = ?, model = ?, provider = ?, tokens_in = ?, tokens_out = ?,
					                    cost_nanos = ?, latency_ms = ?, context_omitted = ?, finish_reason = ?, state = ?,
					                    tokens_cached = ?
					 WHERE id = ? AND state = ?""")
			.params(content, tokenCount, answer.model(), answer.provider(), answer.tokensIn(), answer.tokensOut(),
					answer.costNanos(), answer.latencyMillis(), answer.contextOmitted(), answer.finishReason(),
					AnswerState.ANSWERED.dbValue(), answer.tokensCached(), id, AnswerState.PENDING.dbValue())
			.update() == 1;
	}

	/**
	 * Settles a pending answer without a model's text ({@code failed} or {@code refused},
	 * with the reason); false when it is not pending any more.
	 */
	public boolean settle(long id, AnswerState state, String note) {
		return jdbc.sql("UPDATE messages SET state = ?, note = ? WHERE id = ? AND state = ?")
			.params(state.dbValue(), note, id, AnswerState.PENDING.dbValue())
			.update() == 1;
	}

	/**
	 * Up to {@code limit} messages of a topic older than {@code beforeSeq}, newest first.
	 */
	public List<StoredMessage> newestFirst(SessionId session, int topic, int beforeSeq, int limit) {
		return jdbc.sql(SELECT_MESSAGE + """
				WHERE session_id = ? AND topic = ? AND seq < ?
				ORDER BY seq DESC
				LIMIT ?""").params(session.value(), topic, beforeSeq, limit).query(mapper).list();
	}

	@Override
	public List<StoredMessage> oldestFirst(SessionId session, int afterTopic, int afterSeq, int limit) {
		return jdbc.sql(SELECT_MESSAGE + """
				WHERE session_id = ? AND (topic > ? OR (topic = ? AND seq > ?))
				ORDER BY topic, seq
				LIMIT ?""").params(session.value(), afterTopic, afterTopic, afterSeq, limit).query(mapper).list();
	}

	/**
	 * The last {@code limit} messages of a session across topics, oldest first, for
	 * display.
	 */
	public List<StoredMessage> recent(SessionId session, int limit) {
		List<StoredMessage> newest = jdbc.sql(SELECT_MESSAGE + """
				WHERE session_id = ?
				ORDER BY topic DESC, seq DESC
				LIMIT ?""").params(session.value(), limit).query(mapper).list();
		return newest.reversed();
	}

	public long count(SessionId session) {
		return jdbc.sql("SELECT COUNT(*) FROM messages WHERE session_id = ?")
			.param(session.value())
			.query(Long.class)
			.single();
	}

	private static StoredMessage map(ResultSet row, PartsCodec parts) throws SQLException {
		long author = row.getLong("author_id");
		UserId authorId = row.wasNull() ? null : new UserId(author);
		AnswerRecord answer = null;
		String model = row.getString("model");
		if (model != null) {
			answer = new AnswerRecord(model, row.getString("provider"), row.getInt("tokens_in"),
					row.getInt("tokens_out"), row.getLong("cost_nanos"), row.getLong("latency_ms"),
					row.getInt("context_omitted"), row.getString("finish_reason"), row.getInt("tokens_cached"));
		}
		return new StoredMessage(row.getLong("id"), new SessionId(row.getLong("session_id")), row.getInt("topic"),
				row.getInt("seq"), MessageRole.valueOf(row.getString("role").toUpperCase(java.util.Locale.ROOT)),
				authorId, parts.read(row.getString("content")), row.getInt("token_count"), answer,
				Instant.ofEpochMilli(row.getLong("created_at")), AnswerState.fromDb(row.getString("state")),
				row.getString("note"), replyTo(row));
	}

	private static Long replyTo(ResultSet row) throws SQLException {
		long id = row.getLong("reply_to");
		return row.wasNull() ? null : id;
	}

}
