package io.switchboard.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.UserId;
import io.switchboard.storage.StorageProperties;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Joins platform identities to one user with one-time codes. A code is 8 letters and
 * digits (no look-alikes), kept only as its hash, good for {@link #CODE_TTL} and once; a
 * user makes at most {@link #CODES_PER_HOUR} an hour, and an identity that sends
 * {@link #FAILURES_ALLOWED} wrong codes waits {@link #FAILURE_WINDOW} before trying
 * again, so codes cannot be guessed. Joining moves the identity to the code's user, with
 * the sessions, image jobs and usage of the user it leaves when that user has no other
 * identity left; unlinking gives the identity back to the user it had (what was made
 * while linked stays with the joined user).
 */
@Service
public class IdentityLinks {

	static final Duration CODE_TTL = Duration.ofMinutes(10);

	static final int CODES_PER_HOUR = 5;

	static final int FAILURES_ALLOWED = 5;

	static final Duration FAILURE_WINDOW = Duration.ofMinutes(15);

	private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final Clock clock;

	/**
	 * Conversations kept in DynamoDB: linking would have to move a user's sessions,
	 * messages and usage there, which this class does in SQL only, so it is refused.
	 */
	private final boolean dynamo;

	static final String NOT_ON_DYNAMO = "Linking accounts is not available on this server: it keeps conversations "
			+ "in DynamoDB, where moving an account's sessions is not built yet (see the README's storage section).";

	IdentityLinks(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, StorageProperties storage) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.clock = clock;
		this.dynamo = storage.dynamo();
	}

	private void requireSql() {
		if (dynamo) {
			throw new Refused(NOT_ON_DYNAMO);
		}
	}

	/** Why a link was refused, in words for the person. */
	public static final class Refused extends RuntimeException {

		Refused(String message) {
			super(message);
		}

	}

	/** A new code for the user, and until when it works. */
	public record Code(String code, Instant expiresAt) {
	}

	/**
	 * Makes a code.
	 * @throws Refused when the user made too many in the last hour
	 */
	public Code issue(UserId user) {
		requireSql();
		Instant now = clock.instant();
		long recent = jdbc.sql("SELECT COUNT(*) FROM link_codes WHERE user_id = ? AND created_at > ?")
			.params(user.value(), now.minus(Duration.ofHours(1)).toEpochMilli())
			.query(Long.class)
			.single();
		if (recent >= CODES_PER_HOUR) {
			throw new Refused(
					"You made " + CODES_PER_HOUR + " link codes in the last hour; wait a while and try again.");
		}
		StringBuilder code = new StringBuilder(8);
		for (int i = 0; i < 8; i++) {
			code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		Instant expires = now.plus(CODE_TTL);
		jdbc.sql("INSERT INTO link_codes (code_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
			.params(hash(code.toString()), user.value(), now.toEpochMilli(), expires.toEpochMilli())
			.update();
		return new Code(code.toString(), expires);
	}

	/**
	 * Joins the identity to the user who made the code.
	 * @return the user it now belongs to
	 * @throws Refused when the code is wrong, used, expired or the identity's own, or the
	 * identity sent too many wrong codes lately
	 */
	public UserId redeem(PlatformUserId identity, UserId current, String code) {
		requireSql();
		Instant now = clock.instant();
		long failures = jdbc
			.sql("SELECT COUNT(*) FROM link_failures WHERE platform = ? AND platform_user_id = ? AND failed_at > ?")
			.params(identity.platform(), identity.id(), now.minus(FAILURE_WINDOW).toEpochMilli())
			.query(Long.class)
			.single();
		if (failures >= FAILURES_ALLOWED) {
			throw new Refused("Too many wrong link codes: wait " + FAILURE_WINDOW.toMinutes()
					+ " minutes, then send `/link` on your other platform for a new code.");
		}
		String normalized = code.strip().toUpperCase(Locale.ROOT).replace("-", "").replace(" ", "");
		Optional<Long> owner = normalized.matches("[A-Z0-9]{8}")
				? jdbc.sql("SELECT user_id FROM link_codes WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?")
					.params(hash(normalized), now.toEpochMilli())
					.query(Long.class)
					.optional()
				: Optional.empty();
		if (owner.isEmpty()) {
			jdbc.sql("INSERT INTO link_failures (platform, platform_user_id, failed_at) VALUES (?, ?, ?)")
				.params(identity.platform(), identity.id(), now.toEpochMilli())
				.update();
			throw new Refused("That link code is wrong, used or expired (codes work once, for " + CODE_TTL.toMinutes()
					+ " minutes). Send `/link` on your other platform for a new one.");
		}
		UserId target = new UserId(owner.get());
		if (target.equals(current)) {
			throw new Refused("This account is already that user: send the code from your other platform.");
		}
		Boolean done = transactions.execute(status -> {
			// used once: the update that marks it is the one that counts
			int marked = jdbc.sql("UPDATE link_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL")
				.params(now.toEpochMilli(), hash(normalized))
				.update();
			if (marked == 0) {
				return false;
			}
			jdbc.sql("""
					INSERT INTO identity_links (platform, platform_user_id, previous_user_id, linked_to, linked_at)
					VALUES (?, ?, ?, ?, ?)
					ON CONFLICT (platform, platform_user_id) DO UPDATE SET linked_to = excluded.linked_to,
					    linked_at = excluded.linked_at""")
				.params(identity.platform(), identity.id(), current.value(), target.value(), now.toEpochMilli())
				.update();
			jdbc.sql("UPDATE platform_identities SET user_id = ? WHERE platform = ? AND platform_user_id = ?")
				.params(target.value(), identity.platform(), identity.id())
				.update();
			long left = jdbc.sql("SELECT COUNT(*) FROM platform_identities WHERE user_id = ?")
				.param(current.value())
				.query(Long.class)
				.single();
			if (left == 0) {
				moveBelongings(current, target);
			}
			return true;
		});
		if (!Boolean.TRUE.equals(done)) {
			throw new Refused(
					"That link code was used a moment ago. Send `/link` on your other platform for a new one.");
		}
		return target;
	}

	/**
	 * Gives the identity back to the user it had before it was linked.
	 * @return that user, or empty when the identity was never linked
	 * @throws Refused on a server whose conversations are in DynamoDB
	 */
	public Optional<UserId> unlink(PlatformUserId identity) {
		requireSql();
		return transactions.execute(status -> {
			Optional<Long> previous = jdbc
				.sql("SELECT previous_user_id FROM identity_links WHERE platform = ? AND platform_user_id = ?")
				.params(identity.platform(), identity.id())
				.query(Long.class)
				.optional();
			previous.ifPresent(user -> {
				jdbc.sql("UPDATE platform_identities SET user_id = ? WHERE platform = ? AND platform_user_id = ?")
					.params(user, identity.platform(), identity.id())
					.update();
				jdbc.sql("DELETE FROM identity_links WHERE platform = ? AND platform_user_id = ?")
					.params(identity.platform(), identity.id())
					.update();
			});
			return previous.map(UserId::new);
		});
	}

	/** The user left with no identity hands what it had to the one it joined. */
	private void moveBelongings(UserId from, UserId to) {
		jdbc.sql("UPDATE sessions SET owner_id = ? WHERE owner_id = ?").params(to.value(), from.value()).update();
		jdbc.sql("UPDATE messages SET author_id = ? WHERE author_id = ?").params(to.value(), from.value()).update();
		jdbc.sql("UPDATE image_jobs SET owner_id = ? WHERE owner_id = ?").params(to.value(), from.value()).update();
		jdbc.sql("UPDATE comics SET owner_id = ? WHERE owner_id = ?").params(to.value(), from.value()).update();
		jdbc.sql("UPDATE user_memories SET user_id = ? WHERE user_id = ?").params(to.value(), from.value()).update();
		jdbc.sql("""
				INSERT INTO usage_ledger (user_id, model, day, purpose, requests, tokens_in, tokens_out, tokens_cached,
				                          cost_nanos, audio_seconds)
				SELECT ?, model, day, purpose, requests, tokens_in, tokens_out, tokens_cached, cost_nanos, audio_seconds
				  FROM usage_ledger WHERE user_id = ?
				ON CONFLICT (user_id, model, day, purpose) DO UPDATE SET
				    requests = usage_ledger.requests + excluded.requests,
				    tokens_in = usage_ledger.tokens_in + excluded.tokens_in,
				    tokens_out = usage_ledger.tokens_out + excluded.tokens_out,
				    tokens_cached = usage_ledger.tokens_cached + excluded.tokens_cached,
				    cost_nanos = usage_ledger.cost_nanos + excluded.cost_nanos,
				    audio_seconds = usage_ledger.audio_seconds + excluded.audio_seconds""")
			.params(to.value(), from.value())
			.update();
		jdbc.sql("DELETE FROM usage_ledger WHERE user_id = ?").param(from.value()).update();
	}

	static String hash(String code) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

}
