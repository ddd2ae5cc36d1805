package io.switchboard.storage;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Checks {@code switchboard.storage.type} first of all. With the chat core on DynamoDB,
 * the SQL database keeps the rest (image jobs, comics, web accounts, API keys, the
 * channel pipeline's rows), whose rows name users, sessions and messages that now live in
 * DynamoDB: the SQL schema's foreign keys to those tables cannot hold, so SQLite is told
 * not to check them (every connection, after the URL's own {@code foreign_keys=true}).
 * PostgreSQL always checks foreign keys, so it cannot stand beside DynamoDB yet;
 * {@link StorageProperties} says so at start-up.
 */
public class SqlBesideDynamo implements EnvironmentPostProcessor {

	private static final String INIT_SQL = "spring.datasource.hikari.connection-init-sql";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String type = environment.getProperty("switchboard.storage.type", "jdbc");
		if (!type.strip().equalsIgnoreCase("jdbc") && !type.strip().equalsIgnoreCase("dynamodb")) {
			// checked here, before any bean: the stores are chosen by this value, and
			// with
			// an unknown one none would be, and start-up would fail naming a missing bean
			throw new IllegalArgumentException(
					"switchboard.storage.type must be jdbc or dynamodb, not \"" + type + "\"");
		}
		String url = environment.getProperty("spring.datasource.url", "");
		if (!"dynamodb".equalsIgnoreCase(type.strip()) || !url.startsWith("jdbc:sqlite:")
				|| environment.containsProperty(INIT_SQL)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource("sqlBesideDynamo", Map.of(INIT_SQL, "PRAGMA foreign_keys = OFF")));
	}

}
