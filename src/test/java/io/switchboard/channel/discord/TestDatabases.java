package io.switchboard.channel.discord;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;

import io.switchboard.testsupport.Postgres;
import org.flywaydb.core.Flyway;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The two supported databases with the real migrations applied, without a whole
 * application: for the Discord stores' tests on SQLite and PostgreSQL.
 */
final class TestDatabases {

	private TestDatabases() {
	}

	/** A fresh SQLite file in a temp folder. */
	static DataSource sqlite() {
		try {
			Path file = Files.createTempDirectory("switchboard-discord").resolve("test.db");
			return migrated(
					new DriverManagerDataSource("jdbc:sqlite:" + file
							+ "?journal_mode=WAL&busy_timeout=10000&foreign_keys=true" + "&transaction_mode=IMMEDIATE"),
					"sqlite");
		}
		catch (java.io.IOException failed) {
			throw new java.io.UncheckedIOException(failed);
		}
	}

	/** A fresh schema on the machine's PostgreSQL; skips the test when there is none. */
	static DataSource postgres() {
		Postgres.requireOrSkip();
		return migrated(new DriverManagerDataSource(Postgres.newSchema(), Postgres.USER, ""), "postgresql");
	}

	private static DataSource migrated(DataSource dataSource, String dialect) {
		Flyway.configure()
			.dataSource(dataSource)
			.locations("classpath:db/migration/" + dialect, "classpath:db/migration/common")
			.load()
			.migrate();
		return dataSource;
	}

}
