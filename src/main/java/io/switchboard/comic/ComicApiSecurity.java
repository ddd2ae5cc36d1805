package io.switchboard.comic;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The comic REST API answers in JSON, also when it refuses: 401 (not signed in) instead
 * of the web pages' redirect to the sign-in form, and 403 for a missing CSRF token. The
 * API rides on the web session, so changes need the session's CSRF token, as the web
 * pages' own requests do.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication // the serverless functions have no HTTP server to secure
class ComicApiSecurity {

	@Bean
	@Order(91)
	SecurityFilterChain comicApiFilterChain(HttpSecurity http) throws Exception {
		http.securityMatcher("/api/comics/**")
			.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
			.exceptionHandling(errors -> errors
				.authenticationEntryPoint((request, response, failure) -> write(response, 401, "Unauthorized",
						"Sign in first: the comic API uses the web session."))
				.accessDeniedHandler((request, response, denied) -> write(response, 403, "Forbidden",
						"Send the session's CSRF token in the X-CSRF-TOKEN header (the pages carry it in "
								+ "<meta name=\"_csrf\">).")));
		return http.build();
	}

	private static void write(HttpServletResponse response, int status, String title, String detail)
			throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
					+ detail.replace("\"", "\\\"") + "\"}");
	}

}
