package io.switchboard.channel.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Sign-in for the web pages. Everything needs a signed-in user except the sign-in, setup
 * and invitation pages, static assets, signed media and export links and health checks. A
 * strict Content Security Policy keeps any markup that slipped into an answer from
 * running scripts.
 */
@Configuration(proxyBeanMethods = false)
class WebSecurityConfiguration {

	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: blob:; "
			+ "style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
			+ "form-action 'self'";

	@Bean
	@Order(100)
	SecurityFilterChain webSecurity(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests(requests -> requests
			.requestMatchers("/login", "/setup", "/invite/**", "/webjars/**", "/css/**", "/js/**", "/favicon.ico",
					"/favicon.svg", "/export/download", "/error", "/media/**", "/actuator/health/**",
					"/actuator/prometheus", "/actuator/info")
			.permitAll()
			.requestMatchers("/admin/**")
			.hasRole("ADMIN")
			.anyRequest()
			.authenticated())
			.formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
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
