package io.switchboard.system;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;
import org.sqlite.SQLiteException;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Opens one connection with the configured settings before the connection pool does, so
 * that a database that is missing, unreachable, refuses the login or cannot be written
 * stops start-up with one line naming the setting and the cause
 * ({@link DatabaseUnusableException}), rather than the pool's stack trace hundreds of
 * lines above Flyway's. The pool logs its own failures at ERROR with the whole trace,
 * which no failure analyzer can take back, hence a check of its own.
 */
@Component
class DatabaseCheck implements BeanPostProcessor {

	static final String URL = "spring.datasource.url (SPRING_DATASOURCE_URL)";

	static final String LOGIN = "spring.datasource.username / spring.datasource.password "
			+ "(SPRING_DATASOURCE_USERNAME / SPRING_DATASOURCE_PASSWORD)";

	private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password=)[^&;]*");

	private static final Pattern USER_INFO = Pattern.compile("//[^/@?]*@");

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null) {
			Properties settings = new Properties();
			settings.putAll(pool.getDataSourceProperties());
			if (pool.getUsername() != null) {
				settings.setProperty("user", pool.getUsername());
			}
			if (pool.getPassword() != null) {
				settings.setProperty("password", pool.getPassword());
			}
			check(pool.getJdbcUrl(), settings);
		}
		return bean;
	}

	/**
	 * Connects once, and for SQLite takes the write lock once; throws what went wrong.
	 */
	private static void check(String url, Properties settings) {
		try (Connection connection = DriverManager.getConnection(url, settings)) {
			if (SqliteDirectoryCreator.databaseFile(url) != null) {
				try (Statement statement = connection.createStatement()) {
					// SQLite opens a file it may not write read-only, without a word
					statement.execute("BEGIN IMMEDIATE");
					statement.execute("ROLLBACK");
				}
			}
		}
		catch (SQLException failed) {
			throw explain(url, settings.getProperty("user"), settings.getProperty("password") != null, failed);
		}
	}

	private static DatabaseUnusableException explain(String url, String user, boolean password, SQLException failed) {
		String shown = shown(url);
		String reason = reason(failed);
		Path sqliteFile = SqliteDirectoryCreator.databaseFile(url);
		if (sqliteFile != null || failed instanceof SQLiteException) {
			String file = sqliteFile == null ? shown : sqliteFile.toAbsolutePath().toString();
			return new DatabaseUnusableException(
					"The SQLite database in " + URL + " cannot be opened for writing: " + file + ": " + reason,
					"Point spring.datasource.url at a file in a folder this server's user may write (keeping "
							+ "the URL's parameters), or let that user write " + file + " and its folder.",
					failed);
		}
		String state = failed.getSQLState() == null ? "" : failed.getSQLState();
		if (state.equals("3D000")) {
			String name = databaseName(url);
			return new DatabaseUnusableException(
					"The database in " + URL + " does not exist: " + shown + " answered: " + reason,
					"Create it first, e.g. createdb " + (user == null ? "" : "-O " + user + " ")
							+ (name == null ? "switchboard" : name)
							+ " as a PostgreSQL superuser, or point spring.datasource.url at a database that exists.",
					failed);
		}
		if (state.startsWith("28")) {
			return new DatabaseUnusableException(
					"The database refused the login in " + LOGIN + " (user "
							+ (user == null ? "none" : "\"" + user + "\"") + ", password "
							+ (password ? "set" : "not set") + "): " + shown + " answered: " + reason,
					"Check the user name and password (psql -h <host> -U <user> <database> tries the same), "
							+ "or create the user: createuser --pwprompt <user>.",
					failed);
		}
		if (state.startsWith("08") || hasCause(failed, IOException.class)) {
			return new DatabaseUnusableException(
					"No database answers at the address in " + URL + ": " + shown + ": " + reason,
					"Start the database server, or correct the host and port in spring.datasource.url.", failed);
		}
		return new DatabaseUnusableException("Cannot use the database in " + URL + ": " + shown + ": " + reason,
				"Check spring.datasource.url, spring.datasource.username and spring.datasource.password.", failed);
	}

	/** The URL as it may be shown: no password, no user info. */
	private static String shown(String url) {
		return USER_INFO.matcher(PASSWORD_IN_URL.matcher(url).replaceAll("$1******")).replaceFirst("//******@");
	}

	/**
	 * The driver's message and, when a network failure lies under it, that failure: on
	 * one line.
	 */
	private static String reason(SQLException failed) {
		StringBuilder reason = new StringBuilder(String.valueOf(failed.getMessage()));
		for (Throwable cause = failed.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException && cause.getMessage() != null
					&& !reason.toString().contains(cause.getMessage())) {
				reason.append(" (")
					.append(cause.getClass().getSimpleName())
					.append(": ")
					.append(cause.getMessage())
					.append(')');
				break;
			}
		}
		return reason.toString().replaceAll("\\s+", " ").strip();
	}

	private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

	/** The database name of a {@code jdbc:postgresql://host:port/name?...} URL. */
	private static String databaseName(String url) {
		try {
			String path = URI.create(url.substring("jdbc:".length())).getPath();
			return path == null || path.length() < 2 ? null : path.substring(1);
		}
		catch (IllegalArgumentException | IndexOutOfBoundsException notAUri) {
			return null;
		}
	}

}
