package io.switchboard.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.switchboard.llm.LlmProperties;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.stereotype.Component;

/**
 * Decides which upstreams serve a request: the model's deployments in a random order
 * weighted by their weights, leaving out those cooling down after a 429 or 5xx, then the
 * deployments of each fallback model in turn. Built once from configuration and checked
 * at start-up.
 */
@Component
class Router {

	static final URI OPENAI_BASE_URL = URI.create("https://api.openai.com/v1");

	private final Map<String, Plan> plans = new LinkedHashMap<>();

	private final long cooldownNanos;

	private final long maxCooldownNanos;

	Router(ModelCatalog catalog, ApiProperties properties) {
		this.cooldownNanos = properties.cooldown().toNanos();
		this.maxCooldownNanos = properties.maxCooldown().toNanos();
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
				targets.add(target(catalog, model, model.provider(), model.upstreamId(), 1));
			}
			else {
				for (ApiProperties.Deployment deployment : route.deployments()) {
					String upstreamModel = deployment.upstreamModel() == null || deployment.upstreamModel().isBlank()
							? model.upstreamId() : deployment.upstreamModel();
					targets.add(target(catalog, model, deployment.provider(), upstreamModel, deployment.weight()));
				}
			}
			plans.put(model.name(), new Plan(List.copyOf(targets), route == null ? List.of() : route.fallbacks()));
		}
	}

	private static Target target(ModelCatalog catalog, ModelSpec model, String provider, String upstreamModel,
			int weight) {
		LlmProperties.Provider settings = catalog.providers().get(provider);
		boolean passThrough = settings != null && settings.type() == LlmProperties.ProviderType.OPENAI;
		URI base = settings == null || settings.baseUrl() == null ? OPENAI_BASE_URL : settings.baseUrl();
		ModelSpec served = new ModelSpec(model.name(), provider, upstreamModel, model.contextWindow(),
				model.maxOutputTokens(), model.price(), model.vision(), model.demo());
		return new Target(served, provider, settings, base, upstreamModel, weight, passThrough, new AtomicLong(0));
	}

	/**
	 * The upstreams to try for a model, in order: its own available deployments by
	 * weight, then each fallback's. Empty when every one is cooling down.
	 */
	List<Target> plan(ModelSpec model) {
		Plan plan = plans.get(model.name());
		if (plan == null) {
			return List.of();
		}
		long now = System.nanoTime();
		if (plan.fallbacks().isEmpty() && plan.targets().size() == 1) {
			Target only = plan.targets().getFirst();
			return only.available(now) ? plan.targets() : List.of();
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

	/** Every deployment of a model, cooling down or not (for the error message). */
	List<Target> targets(String model) {
		Plan plan = plans.get(model);
		return plan == null ? List.of() : plan.targets();
	}

	private static void addWeighted(List<Target> targets, long now, List<Target> order) {
		List<Target> left = new ArrayList<>(targets.size());
		int total = 0;
		for (Target target : targets) {
			if (target.available(now)) {
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

	/**
	 * Leaves a deployment out for the configured cool-down, or as long as its
	 * {@code Retry-After} asked (capped).
	 */
	void coolDown(Target target, long retryAfterSeconds) {
		long wait = Math.min(Math.max(cooldownNanos, retryAfterSeconds * 1_000_000_000L), maxCooldownNanos);
		target.coolingUntil().set(System.nanoTime() + wait);
	}

	/**
	 * Seconds until the first deployment of the model or its fallbacks is back, at least
	 * 1.
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
			long until = target.coolingUntil().get();
			soonest = Math.min(soonest, until == 0 ? 0 : Math.max(0, until - now));
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
	 * @param coolingUntil {@link System#nanoTime()} until which it is left out, 0 when it
	 * is not
	 */
	record Target(ModelSpec model, String provider, LlmProperties.Provider settings, URI baseUrl, String upstreamModel,
			int weight, boolean passThrough, AtomicLong coolingUntil) {

		boolean available(long now) {
			long until = coolingUntil.get();
			return until == 0 || now - until >= 0;
		}

		/** How the calls table names it: the provider and the upstream model id. */
		String label() {
			return provider + "/" + upstreamModel;
		}

	}

}
