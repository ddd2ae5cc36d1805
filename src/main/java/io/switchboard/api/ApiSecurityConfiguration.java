package io.switchboard.api;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code /v1/**} is its own world: stateless, no session, no CSRF (no cookies are
 * involved), authenticated only by {@code Authorization: Bearer <API key>}, and every
 * refusal in OpenAI's error format. Its filter chain comes before the web pages' (order
 * 100), and the endpoints are one plain servlet rather than MVC controllers, to keep the
 * per-request work small.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfiguration {

	@Bean
	@Order(10)
	SecurityFilterChain apiSecurity(HttpSecurity http) throws Exception {
		// matched on the whole path: the endpoints are not behind the DispatcherServlet,
		// so
		// an MVC-aware matcher would not see them
		http.securityMatcher(PathPatternRequestMatcher.withDefaults().matcher("/v1/**"))
			.csrf(AbstractHttpConfigurer::disable)
			.cors(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.anonymous(AbstractHttpConfigurer::disable)
			.headers(AbstractHttpConfigurer::disable)
			// stateless: the context lives in the request only, no session is ever made
			.sessionManagement(AbstractHttpConfigurer::disable)
			.securityContext(
					context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
			.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
			.exceptionHandling(errors -> errors
				.authenticationEntryPoint((request, response, failure) -> OpenAiError
					.unauthorized(
							"You didn't provide an API key. You need to provide your API key in an "
									+ "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
							null)
					.writeTo(response))
				.accessDeniedHandler((request, response, denied) -> new OpenAiError(403,
						"This API key may not do that.", "permission_error", null, null, 0)
					.writeTo(response)));
		return http.build();
	}

	/**
	 * Leaves {@code /v1} out of Spring's per-request HTTP observation: the gateway
	 * measures its calls itself (off the request path, in {@link CallRecorder}), and the
	 * observation costs every request a few microseconds.
	 */
	@Bean
	ObservationPredicate gatewayOutOfHttpObservation() {
		return (name, context) -> {
			if (context instanceof ServerRequestObservationContext request) {
				return request.getCarrier() == null || !request.getCarrier().getRequestURI().startsWith("/v1/");
			}
			// Spring Security observes every filter of the chain; not for the gateway
			if (name.startsWith("spring.security.")
					&& RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes current) {
				return !current.getRequest().getRequestURI().startsWith("/v1/");
			}
			return true;
		};
	}

	/**
	 * The gateway's front door: {@code /v1/*} is authenticated and answered here, ahead
	 * of the web pages' filters. Going through Spring Security's whole filter chain cost
	 * every call a match of all MVC handler mappings (its
	 * {@code HandlerMappingIntrospector} cache) and a dozen filters, about a fifth of the
	 * gateway's CPU in a profile; an API that only knows Bearer keys needs none of it.
	 * The security chain above stays as the fallback that refuses anything reaching it
	 * unauthenticated.
	 */
	@Bean
	FilterRegistrationBean<ApiKeyFilter> gatewayFrontRegistration(ApiKeys keys, GatewayServlet servlet) {
		FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>(
				new ApiKeyFilter(keys, servlet));
		registration.addUrlPatterns("/v1/*");
		registration.setName("openai-gateway-front");
		// first of all, before even the HTTP observation filter (HIGHEST_PRECEDENCE + 1):
		// the gateway
		// measures its calls itself, off the request path
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	ServletRegistrationBean<GatewayServlet> gatewayServletRegistration(GatewayServlet servlet) {
		ServletRegistrationBean<GatewayServlet> registration = new ServletRegistrationBean<>(servlet, "/v1/*");
		registration.setName("openai-gateway");
		registration.setLoadOnStartup(1);
		return registration;
	}

	/**
	 * Reads the Bearer key and answers 401 in OpenAI's words when it is missing, unknown
	 * or revoked (403 when its owner is paused); with a valid key, the gateway servlet
	 * answers the call with the key as the request's authentication, and no filter after
	 * this one runs.
	 */
	static final class ApiKeyFilter extends OncePerRequestFilter {

		private final ApiKeys keys;

		private final GatewayServlet gateway;

		ApiKeyFilter(ApiKeys keys, GatewayServlet gateway) {
			this.keys = keys;
			this.gateway = gateway;
		}

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			long arrived = System.nanoTime();
			String header = request.getHeader("Authorization");
			if (header == null || header.isBlank()) {
				OpenAiError
					.unauthorized(
							"You didn't provide an API key. You need to provide your API key in an "
									+ "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
							null)
					.writeTo(response);
				return;
			}
			String secret = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : header;
			switch (keys.authenticate(secret)) {
				case ApiKeys.Lookup.Valid valid -> {
					SecurityContextImpl context = new SecurityContextImpl(
							new ApiCaller(valid.key(), valid.owner(), arrived));
					SecurityContextHolder.setContext(context);
					try {
						gateway.service(request, response);
					}
					finally {
						SecurityContextHolder.clearContext();
					}
				}
				case ApiKeys.Lookup.Revoked revoked -> OpenAiError
					.unauthorized("This API key (" + revoked.key().hint() + ") has been revoked.", "invalid_api_key")
					.writeTo(response);
				case ApiKeys.Lookup.OwnerDisabled disabled ->
					new OpenAiError(403, "The account that owns this API key is paused. Ask the administrator.",
							"permission_error", null, "account_disabled", 0)
						.writeTo(response);
				case ApiKeys.Lookup.Unknown unknown ->
					OpenAiError.unauthorized("Incorrect API key provided: " + masked(secret) + ".", "invalid_api_key")
						.writeTo(response);
			}
		}

		/** Like OpenAI, shows only the ends of a wrong key. */
		static String masked(String key) {
			return key.length() < 12 ? "***" : key.substring(0, 6) + "*".repeat(8) + key.substring(key.length() - 4);
		}

	}

}
