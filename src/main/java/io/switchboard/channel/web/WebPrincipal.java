package io.switchboard.channel.web;

import java.util.Collection;
import java.util.List;

import io.switchboard.conversation.UserId;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/**
 * A signed-in web user: their account and the conversation user behind it.
 *
 * @param suspended whether an admin suspended the user: then signing in is refused
 */
record WebPrincipal(UserId userId, String username, String displayName, boolean admin, String passwordHash,
		boolean suspended) implements UserDetails {

	@Override
	public boolean isAccountNonLocked() {
		return !suspended;
	}

	@Override
	public Collection<? extends GrantedAuthority> getAuthorities() {
		return admin ? List.of(new SimpleGrantedAuthority("ROLE_ADMIN"), new SimpleGrantedAuthority("ROLE_USER"))
				: List.of(new SimpleGrantedAuthority("ROLE_USER"));
	}

	@Override
	public String getPassword() {
		return passwordHash;
	}

	@Override
	public String getUsername() {
		return username;
	}

	@Override
	public String toString() {
		return "WebPrincipal[" + username + "]"; // never the hash
	}

}
