package io.switchboard.system;

import java.nio.file.Files;
import java.nio.file.Path;

import io.switchboard.testsupport.StandaloneApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An SQLite URL without parameters still gets what the server relies on (WAL, a busy
 * timeout, foreign keys); parameters in the URL still win.
 */
class SqliteConnectionDefaultsTest {

	@TempDir
	Path folder;

	@Test
	void aPlainSqliteUrlGetsTheServersConnectionSettings() {
		Path database = folder.resolve("plain.db");
		try (ConfigurableApplicationContext server = StandaloneApplication.startOn("jdbc:sqlite:" + database)) {
			JdbcClient jdbc = server.getBean(JdbcClient.class);
			assertThat(jdbc.sql("PRAGMA journal_mode").query(String.class).single()).isEqualToIgnoringCase("wal");
			assertThat(jdbc.sql("PRAGMA busy_timeout").query(Integer.class).single()).isEqualTo(10_000);
			assertThat(jdbc.sql("PRAGMA foreign_keys").query(Integer.class).single()).isEqualTo(1);
		}
		assertThat(Files.exists(database)).isTrue();
	}

	@Test
	void parametersInTheUrlWin() {
		Path database = folder.resolve("tuned.db");
		try (ConfigurableApplicationContext server = StandaloneApplication
			.startOn("jdbc:sqlite:" + database + "?busy_timeout=2500")) {
			JdbcClient jdbc = server.getBean(JdbcClient.class);
			assertThat(jdbc.sql("PRAGMA busy_timeout").query(Integer.class).single()).isEqualTo(2_500);
		}
	}

}
