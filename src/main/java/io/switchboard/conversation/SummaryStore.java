package io.switchboard.conversation;

import java.time.Instant;
import java.util.Optional;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Topics' running summaries, one row per session and topic. */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "jdbc", matchIfMissing = true)
class SummaryStore implements SummaryStorage {

	private final JdbcClient jdbc;

	SummaryStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Optional<TopicSummary> find(SessionId session, int topic) {
		return jdbc.sql("""
				SELECT from_seq, through_seq, content, token_count, model, steps, updated_at FROM topic_summaries
				 WHERE session_id = ? AND topic = ?""")
			.params(session.value(), topic)
			.query((row, i) -> new TopicSummary(session, topic, row.getInt(1), row.getInt(2), row.getString(3),
					row.getInt(4), row.getString(5), row.getInt(6), Instant.ofEpochMilli(row.getLong(7))))
			.optional();
	}

	/**
	 * Stores a summary that reaches further than the stored one (or the first); false
	 * when another compaction of the topic got as far or further first.
	 */
	@Override
	public boolean save(SessionId session, int topic, int fromSeq, int throughSeq, String text, int tokenCount,
			String model, int steps, Instant now) {
		return jdbc
			.sql("""
					INSERT INTO topic_summaries (session_id, topic, from_seq, through_seq, content, token_count, model, steps,
					                             updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
					ON CONFLICT (session_id, topic) DO UPDATE SET
					    from_seq = excluded.from_seq, through_seq = excluded.through_seq, content = excluded.content,
					    token_count = excluded.token_count, model = excluded.model, steps = excluded.steps,
					    updated_at = excluded.updated_at
					 WHERE topic_summaries.through_seq < excluded.through_seq""")
			.params(session.value(), topic, fromSeq, throughSeq, text, tokenCount, model, steps, now.toEpochMilli())
			.update() == 1;
	}

}
