package io.switchboard.history;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import io.switchboard.conversation.SessionId;
import io.switchboard.conversation.UserId;
import io.switchboard.storage.StorageProperties;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Full-text search over the messages of a person's own sessions, from every platform,
 * with each database's own engine: SQLite's FTS5 index ({@code message_search}) or
 * PostgreSQL's full-text search over a GIN index. Every word must match (in any order,
 * any case); the best matches come first. The words are passed as data, never as query
 * syntax, so quotes, dashes or {@code OR} in them are just text.
 */
@Service
public class MessageSearch {

	/** The most words a search takes; more are refused. */
	public static final int MAX_WORDS = 20;

	/** The longest search text. */
	public static final int MAX_CHARS = 200;

	private final JdbcClient jdbc;

	private final boolean postgres;

	/**
	 * Conversations kept in DynamoDB, which has no full-text search: searches are
	 * refused.
	 */
	private final boolean dynamo;

	MessageSearch(JdbcClient jdbc, DataSource dataSource, StorageProperties storage) {
		this.jdbc = jdbc;
		this.postgres = isPostgres(dataSource);
		this.dynamo = storage.dynamo();
	}

	static final String NOT_ON_DYNAMO = "Search is not available on this server: it keeps conversations in DynamoDB, "
			+ "which has no full-text search (see the README's storage section).";

	/**
	 * Thrown for a search that cannot be run: empty, too long, too many words, or a
	 * server whose conversations are in DynamoDB.
	 */
	public static final class BadSearch extends RuntimeException {

		BadSearch(String message) {
			super(message);
		}

	}

	/**
	 * The owner's messages that contain every one of the words, best first.
	 * @throws BadSearch when the words are empty or too many
	 */
	public List<SearchHit> search(UserId owner, String text, int limit, int offset) {
		if (dynamo) {
			// the SQL tables beside the table hold no messages: say so rather than find
			// nothing
			throw new BadSearch(NOT_ON_DYNAMO);
		}
		List<String> words = words(text);
		if (limit < 1 || limit > 100 || offset < 0) {
			throw new BadSearch("A page of results is 1 to 100 hits.");
		}
		return postgres ? searchPostgres(owner, words, limit, offset) : searchSqlite(owner, words, limit, offset);
	}

	/** The words of a search, checked. */
	static List<String> words(String text) {
		if (text == null || text.isBlank()) {
			throw new BadSearch("Say what to look for, e.g. `/search tea recipe`.");
		}
		if (text.length() > MAX_CHARS) {
			throw new BadSearch(
					"A search is at most " + MAX_CHARS + " characters; this one has " + text.length() + ".");
		}
		List<String> words = new ArrayList<>();
		for (String word : text.strip().split("\\s+")) {
			// what neither engine indexes as part of a word (punctuation) only separates
			// words
			String cleaned = word.replaceAll("[\\p{Punct}\\p{IsPunctuation}]+", " ").strip();
			for (String part : cleaned.split("\\s+")) {
				if (!part.isBlank()) {
					words.add(part.toLowerCase(Locale.ROOT));
				}
			}
		}
		if (words.isEmpty()) {
			throw new BadSearch("Say what to look for with letters or digits, e.g. `/search tea recipe`.");
		}
		if (words.size() > MAX_WORDS) {
			throw new BadSearch("A search takes at most " + MAX_WORDS + " words; this one has " + words.size() + ".");
		}
		return words;
	}

	private List<SearchHit> searchSqlite(UserId owner, List<String> words, int limit, int offset) {
		// each word a quoted FTS5 string: never operators, whatever it says
		String match = String.join(" ", words.stream().map(word -> '"' + word.replace("\"", "\"\"") + '"').toList());
		return jdbc.sql("""
				SELECT m.id, m.session_id, s.title, s.origin_platform, m.role, m.created_at,
				       snippet(message_search, 0, char(2), char(3), '…', 24)
				  FROM message_search
				  JOIN messages m ON m.id = message_search.rowid
				  JOIN sessions s ON s.id = m.session_id
				 WHERE message_search MATCH ? AND s.owner_id = ?
				 ORDER BY message_search.rank, m.id DESC
				 LIMIT ? OFFSET ?""").params(match, owner.value(), limit, offset).query(HIT).list();
	}

	private List<SearchHit> searchPostgres(UserId owner, List<String> words, int limit, int offset) {
		// each word quoted as a tsquery lexeme and all of them ANDed: never operators
		String query = String.join(" & ", words.stream().map(word -> "'" + word.replace("'", "''") + "'").toList());
		return jdbc
			.sql("""
					SELECT m.id, m.session_id, s.title, s.origin_platform, m.role, m.created_at,
					       ts_headline('simple', message_text(m.content), q,
					                   'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "')
					  FROM messages m
					  JOIN sessions s ON s.id = m.session_id
					  CROSS JOIN to_tsquery('simple', ?) q
					 WHERE s.owner_id = ? AND to_tsvector('simple', message_text(m.content)) @@ q
					 ORDER BY ts_rank(to_tsvector('simple', message_text(m.content)), q) DESC, m.id DESC
					 LIMIT ? OFFSET ?""")
			.params(query, owner.value(), limit, offset)
			.query(HIT)
			.list();
	}

	private static final RowMapper<SearchHit> HIT = (row, i) -> new SearchHit(row.getLong(1),
			new SessionId(row.getLong(2)), row.getString(3), row.getString(4), row.getString(5),
			row.getString(7) == null ? "" : row.getString(7), Instant.ofEpochMilli(row.getLong(6)));

	static boolean isPostgres(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			String product = connection.getMetaData().getDatabaseProductName();
			return switch (product.toLowerCase(Locale.ROOT)) {
				case "postgresql" -> true;
				case "sqlite" -> false;
				default -> throw new IllegalStateException(
						"Search supports SQLite and PostgreSQL; the database is " + product + ".");
			};
		}
		catch (SQLException unreachable) {
			throw new IllegalStateException("Cannot tell which database search runs on", unreachable);
		}
	}

}
