package io.switchboard.channel.discord;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Which Discord message shows each image job, and what it shows now. */
@Component
class ImageMessages {

	/**
	 * One job's message.
	 *
	 * @param rendered what the message shows (see {@link DiscordImages#shown}), so an
	 * update that would show the same is not sent
	 */
	record Row(long jobId, long ownerId, long channelId, long messageId, String rendered, boolean finished,
			long updatedAt) {
	}

	private final JdbcClient jdbc;

	private final Clock clock;

	ImageMessages(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	Optional<Row> find(long jobId) {
		return jdbc.sql("""
				SELECT job_id, owner_id, channel_id, message_id, rendered, finished, updated_at
				FROM discord_image_messages WHERE job_id = ?""")
			.param(jobId)
			.query((row, i) -> new Row(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getString(5),
					row.getBoolean(6), row.getLong(7)))
			.optional();
	}

	void insert(long jobId, long ownerId, long channelId, long messageId, String rendered, boolean finished) {
		long now = clock.millis();
		jdbc.sql("""
				INSERT INTO discord_image_messages
				(job_id, owner_id, channel_id, message_id, rendered, finished, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id) DO NOTHING""")
			.params(jobId, ownerId, channelId, messageId, rendered, finished, now, now)
			.update();
	}

	void shown(long jobId, String rendered, boolean finished) {
		jdbc.sql("UPDATE discord_image_messages SET rendered = ?, finished = ?, updated_at = ? WHERE job_id = ?")
			.params(rendered, finished, clock.millis(), jobId)
			.update();
	}

	/** The messages of jobs not finished yet, oldest first. */
	List<Row> unfinished(int limit) {
		return jdbc.sql("""
				SELECT job_id, owner_id, channel_id, message_id, rendered, finished, updated_at
				FROM discord_image_messages WHERE finished = ? ORDER BY job_id LIMIT ?""")
			.params(false, limit)
			.query((row, i) -> new Row(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getString(5),
					row.getBoolean(6), row.getLong(7)))
			.list();
	}

}
