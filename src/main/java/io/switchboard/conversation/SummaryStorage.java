package io.switchboard.conversation;

import java.time.Instant;
import java.util.Optional;

/**
 * The storage port for topics' running summaries, one per session and topic. Adapters:
 * {@link SummaryStore} (SQL, {@code topic_summaries}) and {@link DynamoSummaryStore}.
 */
interface SummaryStorage {

	Optional<TopicSummary> find(SessionId session, int topic);

	/**
	 * Stores a summary that reaches further than the stored one (or the first); false
	 * when another compaction of the topic got as far or further first.
	 */
	boolean save(SessionId session, int topic, int fromSeq, int throughSeq, String text, int tokenCount, String model,
			int steps, Instant now);

}
