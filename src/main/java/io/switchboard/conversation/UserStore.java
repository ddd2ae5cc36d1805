package io.switchboard.conversation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Users and their platform identities, in plain SQL that runs on SQLite and PostgreSQL
 * alike.
 */
@Repository
class UserStore {

	private static final String SELECT_USER = """
			SELECT u.id, u.display_name, u.role, u.state, u.mode, u.default_model, u.default_system_prompt,
			       u.max_output_tokens, u.current_session_id, u.show_public_sessions, u.attach_new_sessions,
			       u.created_at, u.updated_at, u.modified_at
			  FROM users u
			""";

	private final JdbcClient jdbc;

	UserStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<User> find(UserId id) {
		return jdbc.sql(SELECT_USER + " WHERE u.id = ?").param(id.value()).query(UserStore::map).optional();
	}

	Optional<User> findByIdentity(PlatformUserId identity) {
		return jdbc.sql(SELECT_USER + """
				 JOIN platform_identities p ON p.user_id = u.id
				WHERE p.platform = ? AND p.platform_user_id = ?""")
			.param(identity.platform())
			.param(identity.id())
			.query(UserStore::map)
			.optional();
	}

	UserId insert(String displayName, UserRole role, ConversationProperties.NewUsers start, Instant now) {
		long id = jdbc.sql("""
				INSERT INTO users (display_name, role, state, mode, attach_new_sessions, max_output_tokens,
				                   created_at, updated_at, modified_at)
				VALUES (?, ?, ?, 'chat', ?, ?, ?, ?, ?) RETURNING id""")
			.params(displayName, role.name().toLowerCase(java.util.Locale.ROOT), start.initialState().dbValue(),
					start.attachNewSessions(), start.maxOutputTokens(), now.toEpochMilli(), now.toEpochMilli(),
					now.toEpochMilli())
			.query(Long.class)
			.single();
		return new UserId(id);
	}

	void insertIdentity(PlatformUserId identity, UserId user, String displayName, Instant now) {
		jdbc.sql("""
				INSERT INTO platform_identities (platform, platform_user_id, user_id, display_name, created_at)
				VALUES (?, ?, ?, ?, ?)""")
			.params(identity.platform(), identity.id(), user.value(), displayName, now.toEpochMilli())
			.update();
	}

	List<User> list(int limit, int offset) {
		return jdbc.sql(SELECT_USER + " ORDER BY u.id LIMIT ? OFFSET ?")
			.params(limit, offset)
			.query(UserStore::map)
			.list();
	}

	long count() {
		return jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single();
	}

	/**
	 * Sets one settings column and the modified time. The column name never comes from
	 * users.
	 */
	void updateSetting(UserId id, Setting setting, Object value, Instant now) {
		jdbc.sql("UPDATE users SET " + setting.column + " = ?, modified_at = ? WHERE id = ?")
			.params(value, now.toEpochMilli(), id.value())
			.update();
	}

	void setCurrentSession(UserId id, SessionId session, UserState state, Instant now) {
		jdbc.sql("UPDATE users SET current_session_id = ?, state = ?, modified_at = ? WHERE id = ?")
			.params(session == null ? null : session.value(), state.dbValue(), now.toEpochMilli(), id.value())
			.update();
	}

	void touch(UserId id, Instant now) {
		jdbc.sql("UPDATE users SET updated_at = ? WHERE id = ?").params(now.toEpochMilli(), id.value()).update();
	}

	/** Forgets a removed session wherever it was somebody's current one. */
	void detachSession(SessionId session) {
		jdbc.sql("UPDATE users SET current_session_id = NULL WHERE current_session_id = ?")
			.param(session.value())
			.update();
	}

	/** The settings a user may change; each names its column. */
	enum Setting {

		DISPLAY_NAME("display_name"), ROLE("role"), STATE("state"), MODE("mode"), DEFAULT_MODEL("default_model"),
		DEFAULT_SYSTEM_PROMPT("default_system_prompt"), MAX_OUTPUT_TOKENS("max_output_tokens"),
		SHOW_PUBLIC_SESSIONS("show_public_sessions"), ATTACH_NEW_SESSIONS("attach_new_sessions");

		private final String column;

		Setting(String column) {
			this.column = column;
		}

	}

	private static User map(ResultSet row, int index) throws SQLException {
		long current = row.getLong("current_session_id");
		SessionId currentSession = row.wasNull() ? null : new SessionId(current);
		int maxTokens = row.getInt("max_output_tokens");
		Integer maxOutputTokens = row.wasNull() ? null : maxTokens;
		return new User(new UserId(row.getLong("id")), row.getString("display_name"),
				UserRole.valueOf(row.getString("role").toUpperCase(java.util.Locale.ROOT)),
				UserState.fromDb(row.getString("state")),
				ChatMode.valueOf(row.getString("mode").toUpperCase(java.util.Locale.ROOT)),
				row.getString("default_model"), row.getString("default_system_prompt"), maxOutputTokens, currentSession,
				row.getBoolean("show_public_sessions"), row.getBoolean("attach_new_sessions"),
				Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("updated_at")),
				Instant.ofEpochMilli(row.getLong("modified_at")));
	}

}
