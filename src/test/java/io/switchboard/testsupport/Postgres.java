package io.switchboard.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server the machine runs at 127.0.0.1:5432 (database {@code test}, user
 * {@code postgres}, trust auth). Tests that need it skip with a visible message when none
 * answers, unless {@code SWITCHBOARD_REQUIRE_POSTGRES=true} (CI) makes it mandatory.
 */
public final class Postgres {

	public static final String URL = System.getenv()
		.getOrDefault("SWITCHBOARD_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");

	public static final String USER = System.getenv().getOrDefault("SWITCHBOARD_TEST_POSTGRES_USER", "postgres");

	private Postgres() {
	}

	/**
	 * Skips the calling test class when PostgreSQL is not there and not required; fails
	 * when it is required.
	 */
	public static void requireOrSkip() {
		try (Connection connection = DriverManager.getConnection(URL, USER, "")) {
			connection.isValid(2);
		}
		catch (SQLException unavailable) {
			if (required()) {
				throw new IllegalStateException("PostgreSQL is required (SWITCHBOARD_REQUIRE_POSTGRES) but " + URL
						+ " does not answer: " + unavailable.getMessage(), unavailable);
			}
			String message = "SKIPPED: PostgreSQL tests, because no server answers at " + URL + " ("
					+ unavailable.getMessage() + ")";
			System.err.println(message);
			Assumptions.abort(message);
		}
	}

	/**
	 * A fresh, empty schema, so every test class starts from nothing; returns its JDBC
	 * URL.
	 */
	public static String newSchema() {
		String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		try (Connection connection = DriverManager.getConnection(URL, USER, "");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE SCHEMA " + schema);
		}
		catch (SQLException failed) {
			throw new IllegalStateException("cannot create a test schema on " + URL, failed);
		}
		return URL + "?currentSchema=" + schema;
	}

	static boolean required() {
		return Boolean.parseBoolean(System.getenv("SWITCHBOARD_REQUIRE_POSTGRES"))
				|| Boolean.getBoolean("switchboard.require-postgres");
	}

}
