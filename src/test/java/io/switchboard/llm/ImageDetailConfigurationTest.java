package io.switchboard.llm;

import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.fakes.FakeOpenAi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code switchboard.llm.models.<name>.image-detail}, from the setting to the wire: each
 * model's images reach an OpenAI-compatible server with that model's detail.
 */
class ImageDetailConfigurationTest {

	private static final byte[] PNG = Base64.getDecoder()
		.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

	private final FakeOpenAi fake = FakeOpenAi.start("sk-detail");

	@AfterEach
	void stopTheFake() {
		fake.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(LlmProperties.class)
	@Import({ ModelCatalog.class, ChatProviders.class, ChatModels.class, TokenCounter.class })
	static class Llm {

		@Bean
		ObjectMapper objectMapper() {
			return new ObjectMapper();
		}

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	private ApplicationContextRunner llm() {
		return new ApplicationContextRunner().withUserConfiguration(Llm.class)
			.withPropertyValues("switchboard.llm.providers.openai.type=openai",
					"switchboard.llm.providers.openai.base-url=" + fake.baseUrl(),
					"switchboard.llm.providers.openai.api-key=sk-detail",
					"switchboard.llm.models.cheap.provider=openai", "switchboard.llm.models.cheap.vision=true",
					"switchboard.llm.models.cheap.image-detail=low", "switchboard.llm.models.sharp.provider=openai",
					"switchboard.llm.models.sharp.vision=true", "switchboard.llm.models.sharp.image-detail=HIGH",
					"switchboard.llm.models.plain.provider=openai", "switchboard.llm.models.plain.vision=true");
	}

	private String detailSentFor(ChatModels models, ModelCatalog catalog, String model) {
		ChatRequest photo = new ChatRequest(catalog.find(model).orElseThrow(), List.of(new ChatMessage(Role.USER,
				List.of(new ContentPart.Image("image/png", PNG), new ContentPart.Text("What is this?")))), 50);
		models.stream(photo, piece -> {
		});
		return fake.imageDetails(fake.lastRequestJson()).getFirst();
	}

	@Test
	void eachModelsImagesGoWithItsDetailAndAutoByDefault() {
		llm().run(context -> {
			ChatModels models = context.getBean(ChatModels.class);
			ModelCatalog catalog = context.getBean(ModelCatalog.class);

			assertThat(catalog.find("cheap").orElseThrow().imageDetail()).isEqualTo(ImageDetail.LOW);
			assertThat(detailSentFor(models, catalog, "cheap")).isEqualTo("low");
			assertThat(detailSentFor(models, catalog, "sharp")).isEqualTo("high");
			assertThat(detailSentFor(models, catalog, "plain")).isEqualTo("auto");
		});
	}

	@Test
	void anUnknownDetailStopsStartUpNamingThePropertyTheValueAndTheChoices() {
		llm().withPropertyValues("switchboard.llm.models.cheap.image-detail=medium").run(context -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("switchboard.llm.models.cheap.image-detail")
				.hasStackTraceContaining("medium");
		});
	}

}
