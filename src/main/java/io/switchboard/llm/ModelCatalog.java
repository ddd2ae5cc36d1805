package io.switchboard.llm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.stereotype.Component;

/**
 * The models users can pick, by name, as configured under {@code switchboard.llm.models}.
 * When nothing is configured it holds only the demo model.
 */
@Component
public class ModelCatalog {

	/** Name of the built-in demo provider and model. */
	public static final String DEMO = "demo";

	private final Map<String, ModelSpec> models;

	private final ModelSpec defaultModel;

	private final Map<String, LlmProperties.Provider> providers;

	public ModelCatalog(LlmProperties properties) {
		Map<String, LlmProperties.Provider> providers = new LinkedHashMap<>(properties.providers());
		Map<String, ModelSpec> models = new LinkedHashMap<>();
		properties.models().forEach((name, model) -> {
			LlmProperties.Provider provider = providers.get(model.provider());
			if (provider == null && !DEMO.equals(model.provider())) {
				throw new InvalidConfigurationPropertyValueException("switchboard.llm.models." + name + ".provider",
						model.provider(), "No provider of that name is configured under switchboard.llm.providers "
								+ providers.keySet() + ".");
			}
			if (model.maxOutputTokens() >= model.contextWindow()) {
				throw new InvalidConfigurationPropertyValueException(
						"switchboard.llm.models." + name + ".max-output-tokens", model.maxOutputTokens(),
						"Must be smaller than context-window (" + model.contextWindow() + ").");
			}
			boolean demo = provider == null || provider.type() == LlmProperties.ProviderType.DEMO;
			String upstream = model.upstreamModel() == null || model.upstreamModel().isBlank() ? name
					: model.upstreamModel();
			models.put(name,
					new ModelSpec(name, model.provider(), upstream, model.contextWindow(), model.maxOutputTokens(),
							new Price(model.inputPrice(), model.outputPrice(), model.cachedInputPrice()),
							model.vision(), demo, model.imageDetail(), model.contextBudget()));
		});
		if (models.isEmpty()) {
			models.put(DEMO, new ModelSpec(DEMO, DEMO, DEMO, 16_384, 1_024, Price.FREE, true, true));
		}
		if (models.values().stream().anyMatch(model -> DEMO.equals(model.provider()))) {
			// the demo provider needs no settings, so it exists whenever a model names it
			providers.putIfAbsent(DEMO, new LlmProperties.Provider(LlmProperties.ProviderType.DEMO, null, null,
					"Authorization", java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(30), Map.of(), 64));
		}
		String defaultName = properties.defaultModel();
		if (defaultName != null && !defaultName.isBlank() && !models.containsKey(defaultName)) {
			throw new InvalidConfigurationPropertyValueException("switchboard.llm.default-model", defaultName,
					"No model of that name is configured; known models: " + models.keySet() + ".");
		}
		this.models = Collections.unmodifiableMap(models);
		this.providers = Collections.unmodifiableMap(providers);
		this.defaultModel = defaultName == null || defaultName.isBlank() ? models.values().iterator().next()
				: models.get(defaultName);
	}

	/** Every model, in configuration order. */
	public List<ModelSpec> all() {
		return new ArrayList<>(models.values());
	}

	public Optional<ModelSpec> find(String name) {
		return name == null ? Optional.empty() : Optional.ofNullable(models.get(name));
	}

	/**
	 * The named model, or the default one when the name is empty or no longer configured.
	 */
	public ModelSpec findOrDefault(String name) {
		return find(name).orElse(defaultModel);
	}

	public ModelSpec defaultModel() {
		return defaultModel;
	}

	/** Whether the only model is the demo model, i.e. no real provider is configured. */
	public boolean demoOnly() {
		return models.values().stream().allMatch(ModelSpec::demo);
	}

	/** The configured providers by name, the implicit demo provider included. */
	public Map<String, LlmProperties.Provider> providers() {
		return providers;
	}

}
