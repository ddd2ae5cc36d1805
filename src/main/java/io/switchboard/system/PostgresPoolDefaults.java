package io.switchboard.system;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * A larger connection pool on PostgreSQL than Hikari's 10, unless the operator sets one.
 * Every statement is a round trip to the database, and a virtual thread waiting for the
 * answer gives up its carrier: when the carriers are busy (a burst of webhooks and
 * hundreds of turns on two cores) a connection's holder waits its turn for the CPU
 * between statements, holding the connection meanwhile. With 10 connections a burst at
 * 5,000 messages a minute left webhooks waiting over a second for one (thread dumps:
 * {@code ConcurrentBag.borrow} under the intake); with 30 the waits are gone
 * (docs/benchmarks.md). Several nodes share PostgreSQL's {@code max_connections} (100 by
 * default): three nodes fit; more need a smaller pool each or a larger server setting.
 */
public class PostgresPoolDefaults implements EnvironmentPostProcessor {

	static final int POOL_SIZE = 30;

	private static final String POOL_SIZE_PROPERTY = "spring.datasource.hikari.maximum-pool-size";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String url = environment.getProperty("spring.datasource.url");
		if (url == null || !url.startsWith("jdbc:postgresql:") || environment.containsProperty(POOL_SIZE_PROPERTY)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("postgresPoolDefaults", Map.of(POOL_SIZE_PROPERTY, POOL_SIZE)));
	}

}
