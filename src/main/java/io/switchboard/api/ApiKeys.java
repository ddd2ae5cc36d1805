package io.switchboard.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Suspensions;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserId;
import io.switchboard.llm.ModelCatalog;

import org.springframework.stereotype.Service;

/**
 * API keys: made for a user and shown once, stored only as a SHA-256 hash, revoked by
 * their owner or an admin. Looking a key up on the request path reads a cache (hash to
 * key and owner), so a request costs one hash and one map lookup; a revoke clears the
 * key's entry at once, and entries are read again after {@code key-cache-ttl} so that
 * revokes and paused users on other nodes take effect too.
 */
@Service
class ApiKeys {

	static final String PREFIX = "sk-sb-";

	/** Unknown hashes remembered at most, so guessing keys cannot fill the memory. */
	private static final int MAX_UNKNOWN = 10_000;

	private final ApiKeyStore store;

	private final Conversations conversations;

	private final ModelCatalog models;

	private final Suspensions suspensions;

	private final Clock clock;

	private final long ttlNanos;

	private final SecureRandom random = new SecureRandom();

	private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

	ApiKeys(ApiKeyStore store, Conversations conversations, ModelCatalog models, Suspensions suspensions,
			ApiProperties properties, Clock clock) {
		this.store = store;
		this.conversations = conversations;
		this.models = models;
		this.suspensions = suspensions;
		this.clock = clock;
		this.ttlNanos = properties.keyCacheTtl().toNanos();
	}

	/** A key just made: the only time its secret is known. */
	record Created(ApiKey key, String secret) {

		@Override
		public String toString() {
			return "Created[" + key + "]"; // never the secret
		}

	}

	/** What a presented key turned out to be. */
	sealed interface Lookup {

		record Valid(ApiKey key, User owner) implements Lookup {
		}

		record Revoked(ApiKey key) implements Lookup {
		}

		record OwnerSuspended(ApiKey key) implements Lookup {
		}

		record Unknown() implements Lookup {
		}

	}

	/**
	 * Makes a key for {@code owner}. Only the owner themself or an admin may.
	 * @throws ApiKeyException when the actor may not, or the name or limits are invalid
	 */
	Created create(User actor, UserId owner, String name, ApiKey.Limits limits) {
		if (!actor.id().equals(owner) && !actor.isAdmin()) {
			throw new ApiKeyException("Only an admin may make keys for other users.");
		}
		conversations.findUser(owner).orElseThrow(() -> new ApiKeyException("No user " + owner + "."));
		String cleanName = name == null || name.isBlank() ? "key" : name.strip();
		if (cleanName.length() > 100) {
			throw new ApiKeyException("A key name has at most 100 characters.");
		}
		for (String model : limits.allowedModels()) {
			if (models.find(model).isEmpty()) {
				throw new ApiKeyException("Unknown model \"" + model + "\". Known models: "
						+ String.join(", ", models.all().stream().map(m -> m.name()).toList()) + ".");
			}
		}
		if (notPositive(limits.requestsPerMinute()) || notPositive(limits.tokensPerDay())
				|| notPositive(limits.spendPerMonthNanos())) {
			throw new ApiKeyException("Limits must be positive numbers (or empty for no limit).");
		}
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		String hint = secret.substring(0, PREFIX.length() + 4) + "…" + secret.substring(secret.length() - 4);
		ApiKey key = store.insert(owner, cleanName, hash(secret), hint, limits, clock.instant());
		return new Created(key, secret);
	}

	private static boolean notPositive(Number limit) {
		return limit != null && limit.longValue() <= 0;
	}

	/** The user's keys, newest first. */
	List<ApiKey> keysOf(UserId user) {
		return store.forUser(user);
	}

	/** Every key (admins). */
	List<ApiKey> all() {
		return store.all();
	}

	Optional<ApiKey> find(long id) {
		return store.find(id);
	}

	/**
	 * Revokes a key; its owner or an admin may. Takes effect on this node at once.
	 * @throws ApiKeyException when there is no such key or the actor may not
	 */
	ApiKey revoke(User actor, long keyId) {
		ApiKey key = store.find(keyId)
			.filter(found -> found.userId().equals(actor.id()) || actor.isAdmin())
			.orElseThrow(() -> new ApiKeyException("You have no key #" + keyId + "."));
		store.revoke(keyId, clock.instant());
		cache.remove(store.hashOf(keyId));
		return store.find(keyId).orElseThrow();
	}

	/** Looks a presented key up: the hot path, served from the cache. */
	Lookup authenticate(String secret) {
		if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
			return new Lookup.Unknown();
		}
		String hash = hash(secret);
		long now = System.nanoTime();
		Cached cached = cache.get(hash);
		if (cached == null || now - cached.loadedAt() > ttlNanos) {
			cached = load(hash, now);
		}
		return cached.lookup();
	}

	/**
	 * The key that calls without one act as, from a trusted network (by its id), looked
	 * up like a presented key and cached as long.
	 */
	Lookup authenticateById(long id) {
		String cacheKey = "id:" + id;
		long now = System.nanoTime();
		Cached cached = cache.get(cacheKey);
		if (cached == null || now - cached.loadedAt() > ttlNanos) {
			cached = new Cached(lookupOf(store.find(id)), now);
			cache.put(cacheKey, cached);
		}
		return cached.lookup();
	}

	private Cached load(String hash, long now) {
		Optional<ApiKey> key = store.findByHash(hash);
		Lookup lookup = lookupOf(key);
		if (key.isEmpty() && cache.size() > MAX_UNKNOWN) {
			cache.values().removeIf(entry -> entry.lookup() instanceof Lookup.Unknown);
		}
		Cached cached = new Cached(lookup, now);
		cache.put(hash, cached);
		return cached;
	}

	private Lookup lookupOf(Optional<ApiKey> key) {
		Lookup lookup;
		if (key.isEmpty()) {
			lookup = new Lookup.Unknown();
		}
		else if (key.get().revoked()) {
			lookup = new Lookup.Revoked(key.get());
		}
		else {
			// an admin's suspension stops the keys; the owner's own chat state does not
			Optional<User> owner = conversations.findUser(key.get().userId());
			lookup = owner.isEmpty() ? new Lookup.Revoked(key.get()) : suspensions.isSuspended(owner.get().id())
					? new Lookup.OwnerSuspended(key.get()) : new Lookup.Valid(key.get(), owner.get());
		}
		return lookup;
	}

	/** Forgets every cached key when a user is suspended or reinstated. */
	@org.springframework.context.event.EventListener
	void suspensionChanged(io.switchboard.conversation.UserSuspensionChanged changed) {
		forgetCached();
	}

	/** Forgets every cached key. */
	void forgetCached() {
		cache.clear();
	}

	static String hash(String secret) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	private record Cached(Lookup lookup, long loadedAt) {
	}

	/** A refused key operation; the message is for the user. */
	static final class ApiKeyException extends RuntimeException {

		ApiKeyException(String message) {
			super(message);
		}

	}

}
