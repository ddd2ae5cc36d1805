package io.switchboard.api;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.switchboard.llm.LlmProperties;
import io.switchboard.llm.ModelCatalog;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Routes are checked at start-up, naming the bad property; plans follow cool-downs. */
class RouterTest {

	static final LlmProperties.Provider OPENAI = new LlmProperties.Provider(LlmProperties.ProviderType.OPENAI,
			URI.create("http://127.0.0.1:1/v1"), null, "Authorization", Duration.ofSeconds(1), Duration.ofSeconds(1),
			Map.of(), 64);

	static LlmProperties.Model model(String provider) {
		return new LlmProperties.Model(provider, null, 8192, 1024, BigDecimal.ZERO, BigDecimal.ZERO, false);
	}

	static ModelCatalog catalog() {
		return new ModelCatalog(
				new LlmProperties(Map.of("a", OPENAI, "b", OPENAI), Map.of("one", model("a"), "two", model("b")), null,
						new LlmProperties.Retry(1, Duration.ZERO), new LlmProperties.Demo(Duration.ZERO)));
	}

	static ApiProperties api(Map<String, ApiProperties.Route> routes) {
		return new ApiProperties(DataSize.ofMegabytes(1), routes, Duration.ofMinutes(1), Duration.ofMinutes(5), 100,
				Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMillis(500), 1000, Duration.ofSeconds(60),
				Duration.ofSeconds(2), new ApiProperties.Breaker(50, 5, Duration.ofSeconds(60)), 3, Duration.ZERO,
				new ApiProperties.Anonymous(List.of(), null));
	}

	@Test
	void badRoutesStopStartUpNamingTheProperty() {
		assertThatThrownBy(() -> new Router(catalog(),
				api(Map.of("one",
						new ApiProperties.Route(List.of(new ApiProperties.Deployment("nowhere", null, 1)),
								List.of())))))
			.isInstanceOf(InvalidConfigurationPropertyValueException.class)
			.hasMessageContaining("switchboard.api.routes.one.deployments[0].provider");
		assertThatThrownBy(
				() -> new Router(catalog(), api(Map.of("one", new ApiProperties.Route(List.of(), List.of("one"))))))
			.hasMessageContaining("switchboard.api.routes.one.fallbacks[0]");
		assertThatThrownBy(
				() -> new Router(catalog(), api(Map.of("ghost", new ApiProperties.Route(List.of(), List.of())))))
			.hasMessageContaining("switchboard.api.routes.ghost");
	}

	@Test
	void aCoolingDeploymentIsLeftOutUntilItsTimeIsUp() {
		Router router = new Router(catalog(),
				api(Map.of("one", new ApiProperties.Route(
						List.of(new ApiProperties.Deployment("a", "x", 1), new ApiProperties.Deployment("b", "y", 1)),
						List.of("two")))));
		var one = catalog().find("one").orElseThrow();
		assertThat(router.plan(one)).extracting(Router.Target::label).containsExactlyInAnyOrder("a/x", "b/y", "b/two");
		Router.Target first = router.plan(one).getFirst();
		router.holdFor(first, 120);
		assertThat(router.plan(one)).extracting(Router.Target::label).doesNotContain(first.label()).hasSize(2);
		assertThat(router.secondsUntilAvailable(one)).isEqualTo(1); // the others are up
	}

}
