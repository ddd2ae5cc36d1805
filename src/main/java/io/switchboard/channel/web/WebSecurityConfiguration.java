package io.switchboard.channel.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Sign-in for the web pages. Everything needs a signed-in user except the sign-in, setup
 * and invitation pages, static assets, signed media and export links and health checks;
 * metrics and the other management endpoints need an admin (or a management port of their
 * own). Failed sign-ins are throttled per account and per address
 * ({@link SignInThrottle}). A strict Content Security Policy keeps any markup that
 * slipped into an answer from running scripts.
 */
@Configuration(proxyBeanMethods = false)
class WebSecurityConfiguration {

	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: blob:; "
			+ "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
			+ "form-action 'self'";

	@Bean
	@Order(100)
	SecurityFilterChain webSecurity(HttpSecurity http, WebProperties properties,
			@Value("${server.port:8080}") int serverPort, @Value("${management.server.port:-1}") int managementPort)
			throws Exception {
		SignInThrottle throttle = new SignInThrottle(properties.signIn());
		// on a management port of its own (kept off the public network), Prometheus
		// scrapes
		// without signing in; on the main port, metrics are for admins only
		RequestMatcher onManagementPort = request -> managementPort > 0 && managementPort != serverPort
				&& request.getLocalPort() == managementPort;
		http.authorizeHttpRequests(requests -> requests
			.requestMatchers("/login", "/setup", "/invite/**", "/webjars/**", "/css/**", "/js/**", "/favicon.ico",
					"/favicon.svg", "/export/download", "/error", "/media/**", "/voice/speech/**", "/actuator/health",
					"/actuator/health/**")
			.permitAll()
			.requestMatchers(onManagementPort)
			.permitAll()
			.requestMatchers("/admin/**", "/actuator/**")
			.hasRole("ADMIN")
			.anyRequest()
			.authenticated())
			.addFilterBefore(throttle, UsernamePasswordAuthenticationFilter.class)
			.formLogin(
					form -> form.loginPage("/login").defaultSuccessUrl("/", false).failureHandler(throttle).permitAll())
			.logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
			.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
		return http.build();
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		// bcrypt today, and hashes say which algorithm made them, so it can change later
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

}
