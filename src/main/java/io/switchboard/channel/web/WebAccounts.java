package io.switchboard.channel.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Suspensions;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserRole;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Web accounts: the first one becomes the admin; the admin creates the others or invites
 * them with a single-use link. Passwords are stored only as hashes, invitation tokens
 * too.
 */
@Service
class WebAccounts implements UserDetailsService {

	static final String PLATFORM = "web";

	private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,31}");

	private static final int MIN_PASSWORD = 8;

	private static final Duration INVITATION_TTL = Duration.ofDays(7);

	private final WebAccountStore store;

	private final Conversations conversations;

	private final PasswordEncoder passwords;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final Suspensions suspensions;

	private final SecureRandom random = new SecureRandom();

	WebAccounts(WebAccountStore store, Conversations conversations, PasswordEncoder passwords,
			TransactionTemplate transactions, Clock clock, Suspensions suspensions) {
		this.suspensions = suspensions;
		this.store = store;
		this.conversations = conversations;
		this.passwords = passwords;
		this.transactions = transactions;
		this.clock = clock;
	}

	/** True until the first account exists: then the setup page creates the admin. */
	boolean needsSetup() {
		return store.count() == 0;
	}

	/** Creates the first account, an admin. Refused once any account exists. */
	synchronized WebPrincipal createFirstAdmin(String username, String displayName, String password) {
		return transactions.execute(status -> {
			if (!needsSetup()) {
				throw new AccountException("Setup is already done: sign in, or ask the admin for an account.");
			}
			return create(username, displayName, password, UserRole.ADMIN);
		});
	}

	/** An admin creates an account for someone. */
	WebPrincipal createAccount(WebPrincipal admin, String username, String displayName, String password,
			UserRole role) {
		requireAdmin(admin);
		return transactions.execute(status -> create(username, displayName, password, role));
	}

	/** An admin makes a single-use invitation link token; only its hash is kept. */
	String invite(WebPrincipal admin, UserRole role) {
		requireAdmin(admin);
		byte[] bytes = new byte[24];
		random.nextBytes(bytes);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		Instant now = clock.instant();
		store.insertInvitation(hash(token), role.name().toLowerCase(Locale.ROOT), admin.userId(), now,
				now.plus(INVITATION_TTL));
		return token;
	}

	/** Whether an invitation token is valid: known, unused and unexpired. */
	boolean invitationValid(String token) {
		return store.findInvitation(hash(token))
			.filter(invitation -> invitation.usedAt() == null && invitation.expiresAt().isAfter(clock.instant()))
			.isPresent();
	}

	/** Creates the invited person's account and uses the invitation up. */
	WebPrincipal acceptInvitation(String token, String username, String displayName, String password) {
		String tokenHash = hash(token);
		WebAccountStore.Invitation invitation = store.findInvitation(tokenHash)
			.filter(found -> found.usedAt() == null && found.expiresAt().isAfter(clock.instant()))
			.orElseThrow(() -> new AccountException("This invitation link is not valid any more."));
		return transactions.execute(status -> {
			if (!store.useInvitation(tokenHash, clock.instant())) {
				throw new AccountException("This invitation link is not valid any more.");
			}
			return create(username, displayName, password,
					UserRole.valueOf(invitation.role().toUpperCase(Locale.ROOT)));
		});
	}

	void changePassword(WebPrincipal principal, String current, String next) {
		WebAccountStore.Account account = store.findByUser(principal.userId())
			.orElseThrow(() -> new AccountException("No such account."));
		if (!passwords.matches(current, account.passwordHash())) {
			throw new AccountException("The current password is not right.");
		}
		requirePassword(next);
		store.updatePassword(principal.userId(), passwords.encode(next));
	}

	/** The username of a user's web account, if they have one. */
	java.util.Optional<String> usernameOf(io.switchboard.conversation.UserId user) {
		return store.findByUser(user).map(WebAccountStore.Account::username);
	}

	@Override
	public WebPrincipal loadUserByUsername(String username) {
		String normalized = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
		WebAccountStore.Account account = store.findByUsername(normalized)
			.orElseThrow(() -> new UsernameNotFoundException("unknown user"));
		User user = conversations.user(account.userId());
		return new WebPrincipal(user.id(), account.username(), user.displayName(), user.isAdmin(),
				account.passwordHash(), suspensions.isSuspended(user.id()));
	}

	private WebPrincipal create(String username, String displayName, String password, UserRole role) {
		String normalized = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
		if (!USERNAME.matcher(normalized).matches()) {
			throw new AccountException(
					"A username has 3 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit.");
		}
		requirePassword(password);
		String name = displayName == null || displayName.isBlank() ? normalized : displayName.strip();
		if (name.length() > 100) {
			throw new AccountException("A display name has at most 100 characters.");
		}
		if (store.findByUsername(normalized).isPresent()
				|| conversations.findUser(new PlatformUserId(PLATFORM, normalized)).isPresent()) {
			throw new AccountException("The username " + normalized + " is taken.");
		}
		try {
			User user = conversations.createUser(new PlatformUserId(PLATFORM, normalized), name, role);
			String hash = passwords.encode(password);
			store.insert(user.id(), normalized, hash, clock.instant());
			return new WebPrincipal(user.id(), normalized, name, role == UserRole.ADMIN, hash, false);
		}
		catch (DuplicateKeyException raced) {
			throw new AccountException("The username " + normalized + " is taken.");
		}
	}

	private static void requirePassword(String password) {
		if (password == null || password.length() < MIN_PASSWORD) {
			throw new AccountException("A password has at least " + MIN_PASSWORD + " characters.");
		}
		if (password.length() > 200) {
			throw new AccountException("A password has at most 200 characters.");
		}
	}

	private static void requireAdmin(WebPrincipal principal) {
		if (principal == null || !principal.admin()) {
			throw new AccountException("Only an admin may do that.");
		}
	}

	private static String hash(String token) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	/** An account request that cannot be done; the message is for the person asking. */
	static final class AccountException extends RuntimeException {

		AccountException(String message) {
			super(message);
		}

	}

}
