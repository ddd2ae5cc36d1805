package io.switchboard.channel.web;

import java.time.Instant;
import java.util.Optional;

import io.switchboard.conversation.UserId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Web accounts and invitations. */
@Repository
class WebAccountStore {

	private final JdbcClient jdbc;

	WebAccountStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	record Account(UserId userId, String username, String passwordHash) {
	}

	record Invitation(String role, UserId createdBy, Instant expiresAt, Instant usedAt) {
	}

	long count() {
		return jdbc.sql("SELECT COUNT(*) FROM web_accounts").query(Long.class).single();
	}

	Optional<Account> findByUsername(String username) {
		return jdbc.sql("SELECT user_id, username, password_hash FROM web_accounts WHERE username = ?")
			.param(username)
			.query((row, i) -> new Account(new UserId(row.getLong(1)), row.getString(2), row.getString(3)))
			.optional();
	}

	Optional<Account> findByUser(UserId user) {
		return jdbc.sql("SELECT user_id, username, password_hash FROM web_accounts WHERE user_id = ?")
			.param(user.value())
			.query((row, i) -> new Account(new UserId(row.getLong(1)), row.getString(2), row.getString(3)))
			.optional();
	}

	void insert(UserId user, String username, String passwordHash, Instant now) {
		jdbc.sql("INSERT INTO web_accounts (user_id, username, password_hash, created_at) VALUES (?, ?, ?, ?)")
			.params(user.value(), username, passwordHash, now.toEpochMilli())
			.update();
	}

	void updatePassword(UserId user, String passwordHash) {
		jdbc.sql("UPDATE web_accounts SET password_hash = ? WHERE user_id = ?")
			.params(passwordHash, user.value())
			.update();
	}

	void insertInvitation(String tokenHash, String role, UserId createdBy, Instant now, Instant expiresAt) {
		jdbc.sql("""
				INSERT INTO web_invitations (token_hash, role, created_by, created_at, expires_at)
				VALUES (?, ?, ?, ?, ?)""")
			.params(tokenHash, role, createdBy.value(), now.toEpochMilli(), expiresAt.toEpochMilli())
			.update();
	}

	Optional<Invitation> findInvitation(String tokenHash) {
		return jdbc.sql("SELECT role, created_by, expires_at, used_at FROM web_invitations WHERE token_hash = ?")
			.param(tokenHash)
			.query((row, i) -> {
				long used = row.getLong(4);
				Instant usedAt = row.wasNull() ? null : Instant.ofEpochMilli(used);
				return new Invitation(row.getString(1), new UserId(row.getLong(2)),
						Instant.ofEpochMilli(row.getLong(3)), usedAt);
			})
			.optional();
	}

	/**
	 * Marks an invitation used; false if it was used already (two people racing for one
	 * link).
	 */
	boolean useInvitation(String tokenHash, Instant now) {
		return jdbc.sql("UPDATE web_invitations SET used_at = ? WHERE token_hash = ? AND used_at IS NULL")
			.params(now.toEpochMilli(), tokenHash)
			.update() == 1;
	}

}
