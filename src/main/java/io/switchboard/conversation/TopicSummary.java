package io.switchboard.conversation;

import java.time.Instant;

/**
 * A topic's running summary: what its messages {@code fromSeq} to {@code throughSeq}
 * said, written by a model when the topic was compacted. Later messages go into a turn
 * verbatim; earlier ones (there are some only when a topic had more to fold than one
 * compaction takes) are left out.
 *
 * @param tokenCount tokens the summary occupies in a context
 * @param model the model that wrote it
 * @param steps how many compactions were folded into it
 */
public record TopicSummary(SessionId session, int topic, int fromSeq, int throughSeq, String text, int tokenCount,
		String model, int steps, Instant updatedAt) {
}
