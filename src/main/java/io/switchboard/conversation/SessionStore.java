package io.switchboard.conversation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sessions, in plain SQL that runs on SQLite and PostgreSQL alike. */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "jdbc", matchIfMissing = true)
class SessionStore implements SessionStorage {

	private static final String SELECT_SESSION = """
			SELECT id, owner_id, title, model, system_prompt, is_public, origin_platform, origin_kind, origin_space,
			       origin_thread, current_topic, created_at, updated_at, modified_at
			  FROM sessions
			""";

	private final JdbcClient jdbc;

	SessionStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Session> find(SessionId id) {
		return jdbc.sql(SELECT_SESSION + " WHERE id = ?").param(id.value()).query(SessionStore::map).optional();
	}

	public Optional<Session> findByThread(Place place) {
		return jdbc.sql(SELECT_SESSION + " WHERE origin_platform = ? AND origin_space = ? AND origin_thread = ?")
			.params(place.platform(), place.space(), place.thread())
			.query(SessionStore::map)
			.optional();
	}

	public SessionId insert(UserId owner, String title, String model, String systemPrompt, boolean isPublic,
			Place origin, Instant now) {
		long id = jdbc.sql("""
				INSERT INTO sessions (owner_id, title, model, system_prompt, is_public, origin_platform, origin_kind,
				                      origin_space, origin_thread, current_topic, created_at, updated_at, modified_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id""")
			.params(owner.value(), title, model, systemPrompt, isPublic, origin.platform(), origin.kind().dbValue(),
					origin.space(), origin.thread(), now.toEpochMilli(), now.toEpochMilli(), now.toEpochMilli())
			.query(Long.class)
			.single();
		return new SessionId(id);
	}

	/**
	 * The owner's sessions, and when asked the public ones of others, newest activity
	 * first.
	 */
	public List<Session> listVisible(UserId user, boolean includePublic, int limit, int offset) {
		return jdbc.sql(SELECT_SESSION + """
				WHERE owner_id = ? OR (? AND is_public = TRUE)
				ORDER BY updated_at DESC, id DESC
				LIMIT ? OFFSET ?""").params(user.value(), includePublic, limit, offset).query(SessionStore::map).list();
	}

	public long countVisible(UserId user, boolean includePublic) {
		return jdbc.sql("SELECT COUNT(*) FROM sessions WHERE owner_id = ? OR (? AND is_public = TRUE)")
			.params(user.value(), includePublic)
			.query(Long.class)
			.single();
	}

	public void update(SessionId id, Setting setting, Object value, Instant now) {
		jdbc.sql("UPDATE sessions SET " + setting.column + " = ?, modified_at = ? WHERE id = ?")
			.params(value, now.toEpochMilli(), id.value())
			.update();
	}

	public int startNewTopic(SessionId id, Instant now) {
		jdbc.sql("UPDATE sessions SET current_topic = current_topic + 1, modified_at = ? WHERE id = ?")
			.params(now.toEpochMilli(), id.value())
			.update();
		return jdbc.sql("SELECT current_topic FROM sessions WHERE id = ?")
			.param(id.value())
			.query(Integer.class)
			.single();
	}

	public void touch(SessionId id, Instant now) {
		jdbc.sql("UPDATE sessions SET updated_at = ? WHERE id = ?").params(now.toEpochMilli(), id.value()).update();
	}

	public void delete(SessionId id) {
		jdbc.sql("DELETE FROM sessions WHERE id = ?").param(id.value()).update();
	}

	public List<SessionId> owned(UserId owner) {
		return jdbc.sql("SELECT id FROM sessions WHERE owner_id = ?")
			.param(owner.value())
			.query((row, i) -> new SessionId(row.getLong(1)))
			.list();
	}

	/** The settings an owner may change; each names its column. */
	enum Setting {

		TITLE("title"), MODEL("model"), SYSTEM_PROMPT("system_prompt"), PUBLIC("is_public");

		private final String column;

		Setting(String column) {
			this.column = column;
		}

	}

	private static Session map(ResultSet row, int index) throws SQLException {
		Place origin = new Place(row.getString("origin_platform"), PlaceKind.fromDb(row.getString("origin_kind")),
				row.getString("origin_space"), row.getString("origin_thread"));
		return new Session(new SessionId(row.getLong("id")), new UserId(row.getLong("owner_id")),
				row.getString("title"), row.getString("model"), row.getString("system_prompt"),
				row.getBoolean("is_public"), origin, row.getInt("current_topic"),
				Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("updated_at")),
				Instant.ofEpochMilli(row.getLong("modified_at")));
	}

}
