package io.switchboard.channel.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Brute-force protection for the sign-in form: failed sign-ins are counted per account
 * and per client address in Bucket4j token buckets, and once either is spent a sign-in is
 * refused before its password is checked, with the wait in the message. Failed and
 * refused sign-ins are logged with the username and address, never the password.
 */
final class SignInThrottle extends OncePerRequestFilter implements AuthenticationFailureHandler {

	private static final Logger log = LoggerFactory.getLogger(SignInThrottle.class);

	/** Buckets kept at most per kind; beyond, the oldest are dropped all at once. */
	private static final int MAX_TRACKED = 100_000;

	private final WebProperties.SignIn settings;

	private final ConcurrentHashMap<String, Bucket> accounts = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Bucket> addresses = new ConcurrentHashMap<>();

	SignInThrottle(WebProperties.SignIn settings) {
		this.settings = settings;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String username = username(request);
		String address = request.getRemoteAddr();
		long wait = Math.max(waitSeconds(accounts.get(username)), waitSeconds(addresses.get(address)));
		if (wait > 0) {
			log.warn("sign-in refused for '{}' from {}: too many failed attempts, {} s to wait", username, address,
					wait);
			response.sendRedirect(request.getContextPath() + "/login?throttled=" + wait);
			return;
		}
		chain.doFilter(request, response);
	}

	@Override
	public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException failure) throws IOException {
		String username = username(request);
		String address = request.getRemoteAddr();
		if (failure instanceof LockedException) {
			log.warn("sign-in refused for '{}' from {}: the account is suspended", username, address);
			response.sendRedirect(request.getContextPath() + "/login?suspended");
			return;
		}
		log.warn("sign-in failed for '{}' from {}: {}", username, address, failure.getClass().getSimpleName());
		take(accounts, username, settings.failuresPerAccount());
		take(addresses, address, settings.failuresPerAddress());
		response.sendRedirect(request.getContextPath() + "/login?error");
	}

	private void take(ConcurrentHashMap<String, Bucket> buckets, String key, int capacity) {
		if (buckets.size() > MAX_TRACKED) {
			buckets.clear();
		}
		buckets
			.computeIfAbsent(key, any -> Bucket.builder()
				.addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, settings.period()).build())
				.build())
			.tryConsume(1);
	}

	/** Seconds until the bucket allows one more failure, 0 when it does now. */
	private static long waitSeconds(Bucket bucket) {
		if (bucket == null || bucket.getAvailableTokens() > 0) {
			return 0;
		}
		long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
		return Math.max(1, Duration.ofNanos(nanos).toSeconds() + 1);
	}

	private static String username(HttpServletRequest request) {
		String username = request.getParameter("username");
		return username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
	}

}
