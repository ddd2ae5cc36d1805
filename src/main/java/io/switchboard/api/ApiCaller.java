package io.switchboard.api;

import java.util.List;

import io.switchboard.conversation.User;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request authenticated by an API key: the key and the user who owns it. */
final class ApiCaller extends AbstractAuthenticationToken {

	private static final List<SimpleGrantedAuthority> AUTHORITIES = List.of(new SimpleGrantedAuthority("ROLE_API"));

	private final ApiKey key;

	private final User owner;

	/** {@link System#nanoTime()} when the request reached the gateway. */
	private final long arrivedAt;

	ApiCaller(ApiKey key, User owner, long arrivedAt) {
		super(AUTHORITIES);
		this.key = key;
		this.owner = owner;
		this.arrivedAt = arrivedAt;
		setAuthenticated(true);
	}

	ApiKey key() {
		return key;
	}

	User owner() {
		return owner;
	}

	long arrivedAt() {
		return arrivedAt;
	}

	@Override
	public Object getCredentials() {
		return null; // the key itself is never kept
	}

	@Override
	public Object getPrincipal() {
		return key;
	}

	@Override
	public String getName() {
		return "api-key-" + key.id();
	}

}
