package io.switchboard.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Creates the folder of the SQLite file before the connection pool opens it: SQLite
 * creates a missing database file but not a missing folder, and "zero set-up" means
 * {@code ./data/} need not exist.
 */
public class SqliteDirectoryCreator implements EnvironmentPostProcessor {

	private static final String PREFIX = "jdbc:sqlite:";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String url = environment.getProperty("spring.datasource.url");
		Path file = databaseFile(url);
		if (file == null || file.getParent() == null) {
			return;
		}
		try {
			Files.createDirectories(file.getParent());
		}
		catch (IOException cannot) {
			throw new UncheckedIOException("Cannot create the folder of the SQLite database " + file.toAbsolutePath()
					+ " (spring.datasource.url)", cannot);
		}
	}

	/**
	 * The file an SQLite JDBC URL names, or {@code null} for other databases and
	 * in-memory ones.
	 */
	static Path databaseFile(String url) {
		if (url == null || !url.startsWith(PREFIX)) {
			return null;
		}
		String path = url.substring(PREFIX.length());
		int query = path.indexOf('?');
		if (query >= 0) {
			path = path.substring(0, query);
		}
		if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file::memory:")) {
			return null;
		}
		if (path.startsWith("file:")) {
			path = path.substring("file:".length());
		}
		return Path.of(path);
	}

}
