package io.switchboard.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The OpenAI-compatible API, bound from {@code switchboard.api.*}.
 *
 * @param maxRequestSize the largest request body accepted; larger ones get 413
 * @param routes per model name: the upstream deployments that serve it (with weights) and
 * the models to fall back to; a model without a route is served by its own provider
 * @param cooldown how long a deployment whose circuit breaker opened is left out before
 * one probe request may try it again
 * @param maxCooldown the longest an upstream's {@code Retry-After} is honoured
 * @param breaker when a deployment's circuit breaker opens
 * @param maxAttempts upstream calls one request may make at most (another deployment
 * first, if any), while nothing has been sent to the client
 * @param retryBackoff the pause before calling the same deployment again
 * @param upstreamMaxConnections open connections to upstreams at most (streams included)
 * @param upstreamIdleTimeout how long an idle upstream connection is kept for reuse
 * @param keyCacheTtl how long a looked-up API key is trusted before it is read again (a
 * revoke on this node takes effect at once; on other nodes within this time)
 * @param usageFlushInterval how often recorded calls are written to the database in one
 * batch
 * @param usageQueueCapacity calls waiting to be written at most; beyond, calls are
 * counted as dropped instead of slowing answers down
 * @param imageTimeout how long {@code /v1/images/generations} waits for the images
 * @param limitsSyncInterval how often a key's tokens-per-day and spend-per-month counts
 * are brought in line with what every node recorded
 */
@Validated
@ConfigurationProperties("switchboard.api")
public record ApiProperties(@DefaultValue("1MB") @NotNull DataSize maxRequestSize, Map<String, @Valid Route> routes,
		@DefaultValue("30s") @NotNull Duration cooldown, @DefaultValue("5m") @NotNull Duration maxCooldown,
		@DefaultValue("10000") @Min(1) @Max(100000) int upstreamMaxConnections,
		@DefaultValue("60s") @NotNull Duration upstreamIdleTimeout, @DefaultValue("30s") @NotNull Duration keyCacheTtl,
		@DefaultValue("500ms") @NotNull Duration usageFlushInterval,
		@DefaultValue("1000000") @Min(1000) int usageQueueCapacity,
		@DefaultValue("300s") @NotNull Duration imageTimeout, @DefaultValue("2s") @NotNull Duration limitsSyncInterval,
		@DefaultValue @NotNull @Valid Breaker breaker, @DefaultValue("3") @Min(1) @Max(10) int maxAttempts,
		@DefaultValue("250ms") @NotNull Duration retryBackoff, @DefaultValue @NotNull @Valid Anonymous anonymous) {

	public ApiProperties {
		routes = routes == null ? Map.of() : new LinkedHashMap<>(routes);
		if (maxRequestSize.toBytes() < 1024) {
			throw new IllegalArgumentException("switchboard.api.max-request-size must be at least 1KB");
		}
	}

	/**
	 * How one model is served.
	 *
	 * @param deployments the upstreams, picked at random by weight; empty means the
	 * model's own provider
	 * @param fallbacks models tried in order when every deployment failed with a
	 * retriable error before the first byte was sent
	 */
	public record Route(List<@Valid Deployment> deployments, List<@NotBlank String> fallbacks) {

		public Route {
			deployments = deployments == null ? List.of() : List.copyOf(deployments);
			fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
		}

	}

	/**
	 * One upstream serving a model: a configured provider (its base URL and key) and the
	 * model id it knows the model by.
	 *
	 * @param provider a name under {@code switchboard.llm.providers}
	 * @param upstreamModel the id sent upstream; defaults to the model's upstream id
	 * @param weight its share of the traffic, relative to the others
	 */
	public record Deployment(@NotBlank String provider, String upstreamModel,
			@DefaultValue("1") @Min(1) @Max(1000) int weight) {
	}

	/**
	 * When a deployment is left out: its failure rate (429, 5xx, timeouts, refused
	 * connections, broken answers) over the last {@code window} reaches
	 * {@code failureRate} percent, counted only once it served {@code minimumCalls}.
	 */
	public record Breaker(@DefaultValue("50") @Min(1) @Max(100) int failureRate,
			@DefaultValue("5") @Min(1) @Max(10000) int minimumCalls, @DefaultValue("60s") @NotNull Duration window) {

		public Breaker {
			if (window.toSeconds() < 1) {
				throw new IllegalArgumentException("switchboard.api.breaker.window must be at least 1s, not " + window);
			}
		}

	}

	/**
	 * Calls without an API key, for trusted networks only: off unless {@code addresses}
	 * lists client addresses or networks (e.g. {@code 127.0.0.1}, {@code ::1},
	 * {@code 10.0.0.0/8}). Such calls act as the API key named {@code key} (by its id, as
	 * the API keys page shows it): its owner, models and limits.
	 */
	public record Anonymous(List<@NotBlank String> addresses, Long key) {

		public Anonymous {
			addresses = addresses == null ? List.of() : List.copyOf(addresses);
			if (!addresses.isEmpty() && key == null) {
				throw new IllegalArgumentException(
						"switchboard.api.anonymous.key must name the API key (its id) that calls without a key act as");
			}
		}

	}

}
