package io.switchboard.channel.discord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The comics made by {@code /comic} on Discord that are to be posted, and whether they
 * have been: a row is written when the comic module says a comic is finished or failed,
 * claimed by the node that posts it, and marked sent.
 */
@Component
class ComicPosts {

	/**
	 * A comic to post.
	 *
	 * @param requester the Discord user id of who sent {@code /comic}
	 * @param channelId the channel it was sent in (0 when unknown)
	 * @param direct whether that was a DM
	 * @param title a finished comic's title, else {@code null}
	 * @param stripSha256 a finished comic's strip, else {@code null}
	 * @param reason why the comic could not be made; {@code null} for a finished one
	 */
	record Post(long comicId, String requester, long channelId, boolean direct, String title, String stripSha256,
			String reason) {

		boolean finished() {
			return reason == null;
		}

	}

	private static final RowMapper<Post> POST = (row, i) -> new Post(row.getLong(1), row.getString(2), row.getLong(3),
			row.getBoolean(4), row.getString(5), row.getString(6), row.getString(7));

	private static final String COLUMNS = "comic_id, requester, channel_id, direct, title, strip_sha256, reason";

	private final JdbcClient jdbc;

	private final Clock clock;

	ComicPosts(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Writes a comic down to be posted; false when it was already. */
	boolean add(Post post) {
		return jdbc
			.sql("INSERT INTO discord_comic_posts (" + COLUMNS + ", created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
					+ "ON CONFLICT (comic_id) DO NOTHING")
			.params(post.comicId(), post.requester(), post.channelId(), post.direct(), post.title(), post.stripSha256(),
					post.reason(), clock.millis())
			.update() == 1;
	}

	Optional<Post> find(long comicId) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM discord_comic_posts WHERE comic_id = ?")
			.param(comicId)
			.query(POST)
			.optional();
	}

	/**
	 * Claims an unsent comic for {@code hold} to post it; false when it is sent, or
	 * claimed by another poster whose hold has not run out.
	 */
	boolean claim(long comicId, Duration hold) {
		long now = clock.millis();
		return jdbc.sql("""
				UPDATE discord_comic_posts SET claimed_until = ?
				WHERE comic_id = ? AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ?)""")
			.params(now + hold.toMillis(), comicId, now)
			.update() == 1;
	}

	/** Lets go of a claim whose post failed, so it is tried again. */
	void release(long comicId) {
		jdbc.sql("UPDATE discord_comic_posts SET claimed_until = NULL WHERE comic_id = ? AND sent_at IS NULL")
			.param(comicId)
			.update();
	}

	/**
	 * Marks a comic posted, by the message that carries it ({@code null}: Discord refused
	 * it for good).
	 */
	void sent(long comicId, Long messageId) {
		jdbc.sql("UPDATE discord_comic_posts SET sent_at = ?, message_id = ?, claimed_until = NULL WHERE comic_id = ?")
			.params(clock.millis(), messageId, comicId)
			.update();
	}

	/** The id of the message that carries a comic, once posted. */
	Optional<Long> messageId(long comicId) {
		return jdbc.sql("SELECT message_id FROM discord_comic_posts WHERE comic_id = ? AND message_id IS NOT NULL")
			.param(comicId)
			.query(Long.class)
			.optional();
	}

	/**
	 * Unsent, unclaimed comics written down since {@code since} (older ones are given up
	 * on), oldest first.
	 */
	List<Post> unsent(Instant since, int limit) {
		return jdbc
			.sql("SELECT " + COLUMNS + " FROM discord_comic_posts WHERE sent_at IS NULL AND created_at >= ? "
					+ "AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY comic_id LIMIT ?")
			.params(since.toEpochMilli(), clock.millis(), limit)
			.query(POST)
			.list();
	}

}
