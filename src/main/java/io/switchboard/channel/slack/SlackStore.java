package io.switchboard.channel.slack;

import java.time.Clock;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the Slack channel remembers so that repeating its work never posts twice: which
 * user message each reply answers (claimed before anything is posted), and which message
 * shows each image job.
 */
final class SlackStore {

	private final JdbcClient jdbc;

	private final Clock clock;

	SlackStore(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Claims a user message for an event. The first event to claim it answers it; the
	 * same event again (a retry after a failure or crash) resumes, reusing the reply it
	 * posted; another event of the same message (e.g. {@code app_mention} besides
	 * {@code message}) or a finished answer is a duplicate.
	 */
	Claim claim(String channel, String messageTs, String threadTs, String eventId) {
		int inserted = jdbc.sql("""
				INSERT INTO slack_replies (channel_id, message_ts, thread_ts, event_id, created_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel_id, message_ts) DO NOTHING""")
			.params(channel, messageTs, threadTs, eventId, clock.millis())
			.update();
		if (inserted == 1) {
			return new Claim.Fresh();
		}
		return jdbc
			.sql("SELECT event_id, reply_ts, completed_at FROM slack_replies WHERE channel_id = ? AND message_ts = ?")
			.params(channel, messageTs)
			.query((row, i) -> {
				boolean sameEvent = eventId.equals(row.getString(1));
				row.getLong(3);
				boolean completed = !row.wasNull();
				return sameEvent && !completed ? (Claim) new Claim.Resumed(row.getString(2)) : new Claim.Duplicate();
			})
			.optional()
			.orElse(new Claim.Duplicate());
	}

	void replyPosted(String channel, String messageTs, String replyTs) {
		jdbc.sql("UPDATE slack_replies SET reply_ts = ? WHERE channel_id = ? AND message_ts = ? AND reply_ts IS NULL")
			.params(replyTs, channel, messageTs)
			.update();
	}

	void completed(String channel, String messageTs) {
		jdbc.sql("UPDATE slack_replies SET completed_at = ? WHERE channel_id = ? AND message_ts = ?")
			.params(clock.millis(), channel, messageTs)
			.update();
	}

	/** Whether the bot has answered (or is answering) in a thread. */
	boolean answeredInThread(String channel, String threadTs) {
		return jdbc.sql("SELECT COUNT(*) FROM slack_replies WHERE channel_id = ? AND thread_ts = ?")
			.params(channel, threadTs)
			.query(Integer.class)
			.single() > 0;
	}

	// ------------------------------------------------------------ image jobs

	/**
	 * Claims the right to post an image job's status message; true for the first caller.
	 */
	boolean claimImagePost(long jobId, String channel, String threadTs) {
		return jdbc.sql("""
				INSERT INTO slack_image_posts (job_id, channel_id, thread_ts, created_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (job_id) DO NOTHING""").params(jobId, channel, threadTs, clock.millis()).update() == 1;
	}

	Optional<ImagePost> imagePost(long jobId) {
		return jdbc.sql(
				"SELECT job_id, channel_id, thread_ts, status_ts, delivered_at FROM slack_image_posts WHERE job_id = ?")
			.param(jobId)
			.query((row, i) -> {
				long job = row.getLong(1);
				String channel = row.getString(2);
				String thread = row.getString(3);
				String status = row.getString(4);
				row.getLong(5);
				return new ImagePost(job, channel, thread, status, !row.wasNull());
			})
			.optional();
	}

	void imageStatusPosted(long jobId, String statusTs, String threadTs) {
		jdbc.sql("UPDATE slack_image_posts SET status_ts = ?, thread_ts = ? WHERE job_id = ?")
			.params(statusTs, threadTs, jobId)
			.update();
	}

	/** Marks a job's result delivered; true only for the caller that did it first. */
	boolean markImageDelivered(long jobId) {
		return jdbc.sql("UPDATE slack_image_posts SET delivered_at = ? WHERE job_id = ? AND delivered_at IS NULL")
			.params(clock.millis(), jobId)
			.update() == 1;
	}

	/** Forgets a delivery that failed, so a later update tries again. */
	void unmarkImageDelivered(long jobId) {
		jdbc.sql("UPDATE slack_image_posts SET delivered_at = NULL WHERE job_id = ?").param(jobId).update();
	}

	/** How a claim on a user message turned out. */
	sealed interface Claim {

		/** This event answers the message. */
		record Fresh() implements Claim {
		}

		/**
		 * This event claimed it before and did not finish; {@code replyTs} may be null.
		 */
		record Resumed(String replyTs) implements Claim {
		}

		/** Another event answers it, or it was answered. */
		record Duplicate() implements Claim {
		}

	}

	/** The message that shows an image job. */
	record ImagePost(long jobId, String channel, String threadTs, String statusTs, boolean delivered) {
	}

}
