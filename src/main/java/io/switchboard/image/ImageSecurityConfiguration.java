package io.switchboard.image;

import java.nio.charset.StandardCharsets;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Security of the image REST API: the same sign-in (session) and CSRF protection as the
 * web pages, but a missing sign-in answers 401 with a JSON problem instead of a redirect
 * to the sign-in page, and providers' callbacks (which carry a signed address instead)
 * need neither.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication // the serverless functions have no HTTP server to secure
class ImageSecurityConfiguration {

	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

	@Bean
	@Order(90)
	SecurityFilterChain imageApiSecurity(HttpSecurity http) throws Exception {
		http.securityMatcher("/api/images/**")
			.authorizeHttpRequests(requests -> requests.requestMatchers(HttpMethod.POST, HookLinks.PATH + "**")
				.permitAll()
				.anyRequest()
				.authenticated())
			.csrf(csrf -> csrf.ignoringRequestMatchers(HookLinks.PATH + "**"))
			.exceptionHandling(errors -> errors.authenticationEntryPoint((request, response, failure) -> {
				response.setStatus(401);
				response.setContentType("application/problem+json");
				response.getOutputStream()
					.write(("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
							+ "\"detail\":\"Sign in first.\",\"code\":\"unauthorized\"}")
						.getBytes(StandardCharsets.UTF_8));
			}).accessDeniedHandler((request, response, denied) -> {
				response.setStatus(403);
				response.setContentType("application/problem+json");
				response.getOutputStream()
					.write(("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
							+ "\"detail\":\"The request was refused: a missing or stale CSRF token, or no right to do this.\","
							+ "\"code\":\"forbidden\"}")
						.getBytes(StandardCharsets.UTF_8));
			}))
			.headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY)));
		return http.build();
	}

}
