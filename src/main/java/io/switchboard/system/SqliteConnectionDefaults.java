package io.switchboard.system;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every SQLite connection the settings the server relies on, whatever URL an
 * operator writes: WAL (readers never wait for the writer), a 10 s busy timeout (a writer
 * waits its turn instead of failing), IMMEDIATE transactions (a transaction takes the
 * write lock when it begins, so one that reads and then writes never fails half-way
 * because another wrote first), foreign keys, and NORMAL sync. They go to the driver as
 * connection properties, so parameters in the URL itself still win.
 */
public class SqliteConnectionDefaults implements EnvironmentPostProcessor {

	static final Map<String, String> DEFAULTS = Map.of("journal_mode", "WAL", "busy_timeout", "10000",
			"transaction_mode", "IMMEDIATE", "foreign_keys", "true", "synchronous", "NORMAL");

	private static final String PREFIX = "spring.datasource.hikari.data-source-properties.";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String url = environment.getProperty("spring.datasource.url");
		if (url == null || !url.startsWith("jdbc:sqlite:")) {
			return;
		}
		String query = url.contains("?") ? url.substring(url.indexOf('?') + 1) : "";
		java.util.Set<String> inUrl = new java.util.HashSet<>();
		for (String parameter : query.split("&")) {
			inUrl.add(parameter.split("=", 2)[0].strip().toLowerCase(java.util.Locale.ROOT));
		}
		Map<String, Object> defaults = new LinkedHashMap<>();
		DEFAULTS.forEach((name, value) -> {
			// the driver takes these properties over the URL's parameters: a setting in
			// the URL is left alone
			if (!inUrl.contains(name) && !environment.containsProperty(PREFIX + name)) {
				defaults.put(PREFIX + name, value);
			}
		});
		environment.getPropertySources().addLast(new MapPropertySource("sqliteConnectionDefaults", defaults));
	}

}
