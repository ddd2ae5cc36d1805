package io.switchboard.system;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Creates the folder of the SQLite file before the connection pool opens it: SQLite
 * creates a missing database file but not a missing folder, and "zero set-up" means
 * {@code ./data/} need not exist. A folder that cannot be made stops start-up with one
 * line naming the setting ({@link DatabaseUnusableException}).
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
			Path folder = file.toAbsolutePath().getParent();
			throw new DatabaseUnusableException(
					"The folder of the SQLite database in " + DatabaseCheck.URL + " cannot be made: " + folder + ": "
							+ why(folder, cannot),
					"Point spring.datasource.url at a file in a folder this server's user may create (keeping "
							+ "the URL's parameters).",
					cannot);
		}
	}

	/** Why a folder could not be made, in words. */
	private static String why(Path folder, IOException cannot) {
		for (Path up = folder; up != null; up = up.getParent()) {
			if (Files.exists(up) && !Files.isDirectory(up)) {
				return up + " is a file, not a folder";
			}
		}
		if (cannot instanceof AccessDeniedException denied) {
			return "permission denied at " + denied.getFile();
		}
		return cannot.getClass().getSimpleName() + ": " + cannot.getMessage();
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
