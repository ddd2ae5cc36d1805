package io.switchboard.system;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL the pool is larger than Hikari's 10, unless the operator chose a size.
 */
class PostgresPoolDefaultsTest {

	private static final String POOL_SIZE = "spring.datasource.hikari.maximum-pool-size";

	@Test
	void postgresqlGetsALargerPool() {
		assertThat(poolSizeWith(Map.of("spring.datasource.url", "jdbc:postgresql://db:5432/switchboard")))
			.isEqualTo(String.valueOf(PostgresPoolDefaults.POOL_SIZE));
	}

	@Test
	void theOperatorsSizeWins() {
		assertThat(
				poolSizeWith(Map.of("spring.datasource.url", "jdbc:postgresql://db:5432/switchboard", POOL_SIZE, "12")))
			.isEqualTo("12");
	}

	@Test
	void theOperatorsSizeWinsAlsoFromTheEnvironment() {
		// the way a container sets it (the Kubernetes example does)
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("SPRING_DATASOURCE_URL", "jdbc:postgresql://db:5432/switchboard",
									"SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE", "20")));
		ConfigurationPropertySources.attach(environment);
		new PostgresPoolDefaults().postProcessEnvironment(environment, null);
		assertThat(environment.getProperty(POOL_SIZE)).isEqualTo("20");
	}

	@Test
	void sqliteKeepsHikarisDefault() {
		assertThat(poolSizeWith(Map.of("spring.datasource.url", "jdbc:sqlite:./data/switchboard.db"))).isNull();
	}

	private static String poolSizeWith(Map<String, Object> settings) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("settings", settings));
		new PostgresPoolDefaults().postProcessEnvironment(environment, null);
		return environment.getProperty(POOL_SIZE);
	}

}
