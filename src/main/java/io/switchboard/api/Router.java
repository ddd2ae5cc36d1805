package io.switchboard.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import io.switchboard.llm.LlmProperties;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.stereotype.Component;

/**
 * Decides which upstreams serve a request: the model's deployments in a random order
 * weighted by their weights, then the deployments of each fallback model in turn. Built
 * once from configuration and checked at start-up.
 *
 * <p>
 * Each deployment has a Resilience4j circuit breaker: it opens only when the failure rate
 * over a time window passes the threshold after a minimum number of calls, stays open for
 * the cool-down, then lets one probe through (half-open) whose result closes or reopens
 * it. One failed call therefore never takes a model offline. An upstream's own
 * {@code Retry-After} is honoured separately and for exactly as long as it asks (capped):
 * it is the upstream telling us when to come back, not a guess.
 */
@Component
class Router {

	static final URI OPENAI_BASE_URL = URI.create("https://api.openai.com/v1");

	private final Map<String, Plan> plans = new LinkedHashMap<>();

	private final long maxRetryAfterNanos;

	/** When each breaker last opened, for telling a client how long to wait. */
	private final Map<CircuitBreaker, AtomicLong> changes = new java.util.concurrent.ConcurrentHashMap<>();

	Router(ModelCatalog catalog, ApiProperties properties) {
		this.maxRetryAfterNanos = properties.maxCooldown().toNanos();
		ApiProperties.Breaker breaker = properties.breaker();
		CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
			.slidingWindowSize((int) Math.max(1, breaker.window().toSeconds()))
			.minimumNumberOfCalls(breaker.minimumCalls())
			.failureRateThreshold(breaker.failureRate())
			.waitDurationInOpenState(properties.cooldown())
			.permittedNumberOfCallsInHalfOpenState(1)
			// a probe whose answer never comes must not hold the breaker half-open for
			// ever
			.maxWaitDurationInHalfOpenState(properties.maxCooldown())
			.build());
		properties.routes().forEach((name, route) -> {
			if (catalog.find(name).isEmpty()) {
				throw new InvalidConfigurationPropertyValueException("switchboard.api.routes." + name, name,
						"No model of that name is configured under switchboard.llm.models.");
			}
			for (int i = 0; i < route.deployments().size(); i++) {
				String provider = route.deployments().get(i).provider();
				if (!catalog.providers().containsKey(provider)) {
					throw new InvalidConfigurationPropertyValueException(
							"switchboard.api.routes." + name + ".deployments[" + i + "].provider", provider,
							"No provider of that name is configured under switchboard.llm.providers.");
				}
			}
			for (int i = 0; i < route.fallbacks().size(); i++) {
				String fallback = route.fallbacks().get(i);
				if (catalog.find(fallback).isEmpty() || fallback.equals(name)) {
					throw new InvalidConfigurationPropertyValueException(
							"switchboard.api.routes." + name + ".fallbacks[" + i + "]", fallback,
							"Must name another configured model.");
				}
			}
		});
		for (ModelSpec model : catalog.all()) {
			ApiProperties.Route route = properties.routes().get(model.name());
			List<Target> targets = new ArrayList<>();
			if (route == null || route.deployments().isEmpty()) {
				targets.add(target(catalog, breakers, model, model.provider(), model.upstreamId(), 1));
			}
			else {
				for (ApiProperties.Deployment deployment : route.deployments()) {
					String upstreamModel = deployment.upstreamModel() == null || deployment.upstreamModel().isBlank()
							? model.upstreamId() : deployment.upstreamModel();
					targets.add(target(catalog, breakers, model, deployment.provider(), upstreamModel,
							deployment.weight()));
				}
			}
			plans.put(model.name(), new Plan(List.copyOf(targets), route == null ? List.of() : route.fallbacks()));
		}
	}

	private Target target(ModelCatalog catalog, CircuitBreakerRegistry breakers, ModelSpec model, String provider,
			String upstreamModel, int weight) {
		LlmProperties.Provider settings = catalog.providers().get(provider);
		boolean passThrough = settings != null && settings.type() == LlmProperties.ProviderType.OPENAI;
		URI base = settings == null || settings.baseUrl() == null ? OPENAI_BASE_URL : settings.baseUrl();
		ModelSpec served = new ModelSpec(model.name(), provider, upstreamModel, model.contextWindow(),
				model.maxOutputTokens(), model.price(), model.vision(), model.demo());
		// one breaker per provider and upstream model: the same deployment serving two
		// model names is one upstream, healthy or not
		CircuitBreaker breaker = breakers.circuitBreaker(provider + "/" + upstreamModel);
		// no event consumer on the breaker: with one, Resilience4j makes an event object
		// (with a ZonedDateTime) for every successful call, a cost on the hot path
		AtomicLong openedAt = changes.computeIfAbsent(breaker, opened -> new AtomicLong());
		return new Target(served, provider, settings, base, upstreamModel, weight, passThrough, breaker, openedAt,
				new AtomicLong(0));
	}

	/**
	 * The upstreams to try for a model, in order: its own deployments by weight, then
	 * each fallback's. Deployments whose {@code Retry-After} has not passed are left out;
	 * open breakers are checked when a deployment is called ({@link Target#tryAcquire}).
	 */
	List<Target> plan(ModelSpec model) {
		Plan plan = plans.get(model.name());
		if (plan == null) {
			return List.of();
		}
		long now = System.nanoTime();
		if (plan.fallbacks().isEmpty() && plan.targets().size() == 1) {
			Target only = plan.targets().getFirst();
			return only.waitedOut(now) ? plan.targets() : List.of();
		}
		List<Target> order = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		addWeighted(plan.targets(), now, order);
		seen.add(model.name());
		for (String fallback : plan.fallbacks()) {
			Plan next = plans.get(fallback);
			if (next != null && seen.add(fallback)) {
				addWeighted(next.targets(), now, order);
			}
		}
		return order;
	}

	/** Every deployment of a model, held back or not (for the error message). */
	List<Target> targets(String model) {
		Plan plan = plans.get(model);
		return plan == null ? List.of() : plan.targets();
	}

	private static void addWeighted(List<Target> targets, long now, List<Target> order) {
		List<Target> left = new ArrayList<>(targets.size());
		int total = 0;
		for (Target target : targets) {
			if (target.waitedOut(now)) {
				left.add(target);
				total += target.weight();
			}
		}
		while (!left.isEmpty()) {
			int pick = left.size() == 1 ? 0 : -1;
			if (pick < 0) {
				int roll = ThreadLocalRandom.current().nextInt(total);
				for (int i = 0; i < left.size(); i++) {
					roll -= left.get(i).weight();
					if (roll < 0) {
						pick = i;
						break;
					}
				}
			}
			Target chosen = left.remove(pick);
			total -= chosen.weight();
			order.add(chosen);
		}
	}

	/** Holds a deployment back for as long as its {@code Retry-After} asked (capped). */
	void holdFor(Target target, long retryAfterSeconds) {
		if (retryAfterSeconds <= 0) {
			return;
		}
		long wait = Math.min(retryAfterSeconds * 1_000_000_000L, maxRetryAfterNanos);
		target.heldUntil().set(System.nanoTime() + wait);
	}

	/**
	 * Seconds until the first deployment of the model or its fallbacks may be called
	 * again, at least 1: the shortest {@code Retry-After} or open breaker left.
	 */
	long secondsUntilAvailable(ModelSpec model) {
		Plan plan = plans.get(model.name());
		long now = System.nanoTime();
		long soonest = Long.MAX_VALUE;
		List<Target> all = new ArrayList<>(plan == null ? List.of() : plan.targets());
		if (plan != null) {
			plan.fallbacks().forEach(fallback -> all.addAll(targets(fallback)));
		}
		for (Target target : all) {
			soonest = Math.min(soonest, target.nanosUntilCallable(now));
		}
		return soonest == Long.MAX_VALUE ? 1 : Math.max(1, (soonest + 999_999_999L) / 1_000_000_000L);
	}

	private record Plan(List<Target> targets, List<String> fallbacks) {
	}

	/**
	 * One upstream deployment of a model.
	 *
	 * @param model the model as this deployment serves it (provider and upstream id
	 * filled in)
	 * @param passThrough whether it speaks OpenAI's protocol, so requests pass through as
	 * bytes; otherwise they are translated through the llm module
	 * @param breaker its circuit breaker, shared by every model it serves
	 * @param changedAt {@link System#nanoTime()} when its breaker last opened
	 * @param heldUntil {@link System#nanoTime()} until which its {@code Retry-After}
	 * holds it back, 0 when it does not
	 */
	record Target(ModelSpec model, String provider, LlmProperties.Provider settings, URI baseUrl, String upstreamModel,
			int weight, boolean passThrough, CircuitBreaker breaker, AtomicLong changedAt, AtomicLong heldUntil) {

		boolean waitedOut(long now) {
			long until = heldUntil.get();
			return until == 0 || now - until >= 0;
		}

		/**
		 * Asks the breaker for one call; every permitted call must end in
		 * {@link #succeeded}, {@link #failed} or {@link #released}.
		 */
		boolean tryAcquire() {
			return breaker.tryAcquirePermission();
		}

		void succeeded(long startedNanos) {
			breaker.onSuccess(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
		}

		void failed(long startedNanos, Throwable cause) {
			boolean wasOpen = open();
			breaker.onError(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS, cause);
			if (!wasOpen && open()) {
				changedAt.set(System.nanoTime());
			}
		}

		/** A permitted call that says nothing of the deployment's health. */
		void released() {
			breaker.releasePermission();
		}

		boolean open() {
			return breaker.getState() == CircuitBreaker.State.OPEN
					|| breaker.getState() == CircuitBreaker.State.FORCED_OPEN;
		}

		/** How long until a call may go to it: 0 when one may now. */
		long nanosUntilCallable(long now) {
			long held = waitedOut(now) ? 0 : heldUntil.get() - now;
			long open = 0;
			if (open()) {
				long wait = breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1)
						* 1_000_000L;
				open = Math.max(0, changedAt.get() + wait - now);
			}
			return Math.max(held, open);
		}

		/** How the calls table names it: the provider and the upstream model id. */
		String label() {
			return provider + "/" + upstreamModel;
		}

	}

}
