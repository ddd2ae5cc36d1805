package io.switchboard.api;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * {@code /v1/*} is its own world: stateless, no session, no CSRF (no cookies are
 * involved), authenticated only by {@code Authorization: Bearer <API key>} (or a trusted
 * network), and every refusal in OpenAI's error format. It is one filter, the
 * {@link Gateway}, registered first of all and never passing a request on.
 */
@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

	/**
	 * The gateway's one registration. Ahead of every other filter, even the HTTP
	 * observation (HIGHEST_PRECEDENCE + 1): going through Spring Security's filter chain
	 * cost every call a match of all MVC handler mappings and a dozen filters, about a
	 * fifth of the gateway's CPU in a profile, and an API that only knows Bearer keys
	 * needs none of it. The gateway measures its calls itself, off the request path.
	 */
	@Bean
	FilterRegistrationBean<Gateway> gatewayRegistration(Gateway gateway) {
		FilterRegistrationBean<Gateway> registration = new FilterRegistrationBean<>(gateway);
		registration.addUrlPatterns("/v1/*");
		registration.setName("openai-gateway");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * Leaves {@code /v1} out of Spring's per-request HTTP observation: the gateway
	 * measures its calls itself (in {@link CallRecorder}).
	 */
	@Bean
	ObservationPredicate gatewayOutOfHttpObservation() {
		return (name, context) -> {
			if (context instanceof ServerRequestObservationContext request) {
				return request.getCarrier() == null || !request.getCarrier().getRequestURI().startsWith("/v1/");
			}
			return true;
		};
	}

	/**
	 * Requests per minute per key, in the buckets {@link RequestRates} keeps (shared by
	 * every node on PostgreSQL).
	 */
	@Bean
	RequestRate requestRate(RequestRates rates) {
		return new RequestRate.Local(rates);
	}

}
