package io.switchboard.image;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.switchboard.image.provider.DemoImageProvider;
import io.switchboard.image.provider.ImageProvider;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.stereotype.Component;

/**
 * The configured image providers by name, each with its limits. With none configured the
 * only one is the demo provider, named {@code demo}.
 */
@Component
class ImageProviders implements DisposableBean {

	static final String DEMO = "demo";

	private final Map<String, Entry> entries;

	private final Entry defaultEntry;

	ImageProviders(ImageProperties properties, ProviderFactory factory, Clock clock) {
		Map<String, Entry> entries = new LinkedHashMap<>();
		properties.providers().forEach((name, provider) -> {
			String prefix = "switchboard.image.providers." + name;
			positive(prefix + ".poll-interval", provider.pollInterval());
			positive(prefix + ".max-poll-interval", provider.maxPollInterval());
			if (provider.timeout() != null) {
				positive(prefix + ".timeout", provider.timeout());
			}
			Duration timeout = provider.timeout() == null ? properties.timeout() : provider.timeout();
			entries.put(name,
					new Entry(name, provider.type(), factory.create(name, provider),
							provider.maxConcurrent() != null ? provider.maxConcurrent()
									: defaultConcurrency(provider.type()),
							provider.maxQueued(), timeout, provider.pollInterval(),
							max(provider.pollInterval(), provider.maxPollInterval()),
							provider.width() != null ? provider.width() : defaultSide(provider.type()),
							provider.height() != null ? provider.height() : defaultSide(provider.type())));
		});
		if (entries.isEmpty()) {
			entries.put(DEMO, new Entry(DEMO, ImageProperties.ProviderType.DEMO,
					new DemoImageProvider(DEMO, properties.demo().duration(), clock), properties.demo().maxConcurrent(),
					1000, properties.timeout(), Duration.ofMillis(500), Duration.ofSeconds(2), 512, 512));
		}
		positive("switchboard.image.timeout", properties.timeout());
		positive("switchboard.image.queue-recheck", properties.queueRecheck());
		String defaultName = properties.defaultProvider();
		if (defaultName != null && !defaultName.isBlank() && !entries.containsKey(defaultName)) {
			throw new InvalidConfigurationPropertyValueException("switchboard.image.default-provider", defaultName,
					"No provider of that name is configured under switchboard.image.providers " + entries.keySet()
							+ ".");
		}
		this.entries = entries;
		this.defaultEntry = defaultName == null || defaultName.isBlank() ? entries.values().iterator().next()
				: entries.get(defaultName);
	}

	@Override
	public void destroy() {
		entries.values().forEach(entry -> entry.provider().close());
	}

	Optional<Entry> find(String name) {
		return Optional.ofNullable(name == null || name.isBlank() ? defaultEntry : entries.get(name));
	}

	Entry defaultProvider() {
		return defaultEntry;
	}

	Collection<Entry> all() {
		return List.copyOf(entries.values());
	}

	List<String> names() {
		return new ArrayList<>(entries.keySet());
	}

	private static int defaultConcurrency(ImageProperties.ProviderType type) {
		return switch (type) {
			case SD_WEBUI, COMFYUI -> 1;
			case MIDJOURNEY_PROXY -> 3;
			default -> 4;
		};
	}

	/** A candidate's side when nobody asks for one: what each backend draws best. */
	private static Integer defaultSide(ImageProperties.ProviderType type) {
		return switch (type) {
			case OPENAI -> 1024;
			case MIDJOURNEY_PROXY -> null; // Midjourney picks its own size for an aspect
											// ratio
			default -> 512;
		};
	}

	private static void positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "Must be longer than zero.");
		}
	}

	private static Duration max(Duration a, Duration b) {
		return a.compareTo(b) >= 0 ? a : b;
	}

	/**
	 * A provider with its limits.
	 *
	 * @param width its default width, or {@code null} for the backend's own
	 */
	record Entry(String name, ImageProperties.ProviderType type, ImageProvider provider, int maxConcurrent,
			int maxQueued, Duration timeout, Duration pollInterval, Duration maxPollInterval, Integer width,
			Integer height) {

		boolean demo() {
			return provider.demo();
		}

		/**
		 * The wait before the next look at a job that has run this long: short at first,
		 * longer as it goes on, so a thousand slow jobs cost little.
		 */
		Duration nextPoll(Duration running) {
			Duration grown = running.dividedBy(10);
			if (grown.compareTo(pollInterval) < 0) {
				return pollInterval;
			}
			return grown.compareTo(maxPollInterval) > 0 ? maxPollInterval : grown;
		}

	}

}
