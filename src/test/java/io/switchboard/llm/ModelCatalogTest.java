package io.switchboard.llm;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelCatalogTest {

	private static final LlmProperties.Provider OPENAI = new LlmProperties.Provider(LlmProperties.ProviderType.OPENAI,
			null, "sk-test", "Authorization", Duration.ofSeconds(1), Duration.ofSeconds(1), Map.of(), 64);

	private static LlmProperties.Model model(String provider) {
		return new LlmProperties.Model(provider, null, 8192, 1024, BigDecimal.ZERO, BigDecimal.ZERO, false);
	}

	private static LlmProperties properties(Map<String, LlmProperties.Provider> providers,
			Map<String, LlmProperties.Model> models, String defaultModel) {
		return new LlmProperties(providers, models, defaultModel, new LlmProperties.Retry(3, Duration.ofMillis(500)),
				new LlmProperties.Demo(Duration.ofMillis(40)));
	}

	@Test
	void offersTheDemoModelWhenNothingIsConfigured() {
		ModelCatalog catalog = new ModelCatalog(properties(null, null, null));

		assertThat(catalog.all()).extracting(ModelSpec::name).containsExactly("demo");
		assertThat(catalog.defaultModel().demo()).isTrue();
		assertThat(catalog.demoOnly()).isTrue();
		assertThat(catalog.providers()).containsOnlyKeys("demo");
		assertThat(catalog.providers().get("demo").type()).isEqualTo(LlmProperties.ProviderType.DEMO);
	}

	@Test
	void listsConfiguredModelsInOrderWithTheFirstAsDefault() {
		Map<String, LlmProperties.Model> models = new LinkedHashMap<>();
		models.put("fast", model("openai"));
		models.put("smart", new LlmProperties.Model("openai", "gpt-4o", 128_000, 4096, new BigDecimal("2.50"),
				new BigDecimal("10"), true));

		ModelCatalog catalog = new ModelCatalog(properties(Map.of("openai", OPENAI), models, null));

		assertThat(catalog.all()).extracting(ModelSpec::name).containsExactly("fast", "smart");
		assertThat(catalog.defaultModel().name()).isEqualTo("fast");
		assertThat(catalog.find("fast").orElseThrow().upstreamId()).isEqualTo("fast");
		assertThat(catalog.find("smart").orElseThrow().upstreamId()).isEqualTo("gpt-4o");
		assertThat(catalog.find("smart").orElseThrow().vision()).isTrue();
		assertThat(catalog.findOrDefault("gone").name()).isEqualTo("fast");
		assertThat(catalog.demoOnly()).isFalse();
		assertThat(catalog.providers()).containsOnlyKeys("openai");
	}

	@Test
	void honoursTheConfiguredDefaultModel() {
		Map<String, LlmProperties.Model> models = new LinkedHashMap<>();
		models.put("fast", model("openai"));
		models.put("smart", model("openai"));

		assertThat(new ModelCatalog(properties(Map.of("openai", OPENAI), models, "smart")).defaultModel().name())
			.isEqualTo("smart");
	}

	@Test
	void modelNamingAnUnknownProviderFailsNamingTheProperty() {
		assertThatThrownBy(() -> new ModelCatalog(
				properties(Map.of("openai", OPENAI), Map.of("claude", model("anthropic")), null)))
			.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, invalid -> {
				assertThat(invalid.getName()).isEqualTo("switchboard.llm.models.claude.provider");
				assertThat(invalid.getValue()).isEqualTo("anthropic");
			});
	}

	@Test
	void unknownDefaultModelFailsNamingTheProperty() {
		assertThatThrownBy(
				() -> new ModelCatalog(properties(Map.of("openai", OPENAI), Map.of("fast", model("openai")), "slow")))
			.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, invalid -> {
				assertThat(invalid.getName()).isEqualTo("switchboard.llm.default-model");
				assertThat(invalid.getValue()).isEqualTo("slow");
			});
	}

	@Test
	void outputLimitMustBeSmallerThanTheContextWindow() {
		LlmProperties.Model tooLong = new LlmProperties.Model("openai", null, 4096, 4096, BigDecimal.ZERO,
				BigDecimal.ZERO, false);

		assertThatThrownBy(() -> new ModelCatalog(properties(Map.of("openai", OPENAI), Map.of("fast", tooLong), null)))
			.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
					invalid -> assertThat(invalid.getName())
						.isEqualTo("switchboard.llm.models.fast.max-output-tokens"));
	}

	@Test
	void aModelMayUseTheBuiltInDemoProviderBesideRealOnes() {
		Map<String, LlmProperties.Model> models = new LinkedHashMap<>();
		models.put("fast", model("openai"));
		models.put("try-me", model("demo"));
		LlmProperties properties = properties(Map.of("openai", OPENAI), models, null);

		ModelCatalog catalog = new ModelCatalog(properties);

		assertThat(catalog.find("try-me").orElseThrow().demo()).isTrue();
		assertThat(new ChatProviders(catalog, properties, new TokenCounter(), new ObjectMapper()).byName())
			.containsKeys("openai", "demo");
	}

}
