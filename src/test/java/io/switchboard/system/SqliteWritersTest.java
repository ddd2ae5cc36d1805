package io.switchboard.system;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQLite writers queue in the JVM: many virtual threads writing at once all get their
 * turn (none fails with SQLite's "database is locked"), readers do not wait, and a
 * transaction that ends by rollback or by closing its connection gives the turn back.
 */
class SqliteWritersTest {

	@TempDir
	Path folder;

	HikariDataSource pool(String name) {
		HikariConfig config = new HikariConfig();
		// no busy timeout at all: a writer that reached SQLite's lock while another held
		// it would fail at once
		config.setJdbcUrl("jdbc:sqlite:" + folder.resolve(name) + "?journal_mode=WAL&transaction_mode=IMMEDIATE");
		config.setMaximumPoolSize(10);
		return new HikariDataSource(config);
	}

	@Test
	void statementsAreToldApartByTheirFirstWord() {
		assertThat(SqliteWriters.writes("INSERT INTO t VALUES (1)")).isTrue();
		assertThat(SqliteWriters.writes("  -- a comment\n update t set a = 1")).isTrue();
		assertThat(SqliteWriters.writes("/* why */ DELETE FROM t")).isTrue();
		assertThat(SqliteWriters.writes("SELECT * FROM t")).isFalse();
		assertThat(SqliteWriters.writes("(SELECT 1)")).isFalse();
		assertThat(SqliteWriters.writes("")).isFalse();
	}

	@Test
	void manyWritersAtOnceAllGetTheirTurn() throws Exception {
		try (HikariDataSource pool = pool("busy.db")) {
			SqliteWriters writers = new SqliteWriters(pool);
			try (Connection setup = writers.getConnection(); Statement create = setup.createStatement()) {
				create.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, writer INTEGER, n INTEGER)");
			}
			List<Future<?>> done = new ArrayList<>();
			try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
				for (int i = 0; i < 200; i++) {
					int writer = i;
					done.add(threads.submit(() -> {
						try (Connection connection = writers.getConnection()) {
							if (writer % 2 == 0) {
								connection.setAutoCommit(false);
								for (int n = 0; n < 3; n++) {
									try (PreparedStatement insert = connection
										.prepareStatement("INSERT INTO t (writer, n) VALUES (?, ?)")) {
										insert.setInt(1, writer);
										insert.setInt(2, n);
										insert.executeUpdate();
									}
								}
								if (writer % 10 == 0) {
									connection.rollback();
								}
								else {
									connection.commit();
								}
								connection.setAutoCommit(true);
							}
							else {
								// one write outside a transaction, and a read
								try (PreparedStatement insert = connection
									.prepareStatement("INSERT INTO t (writer, n) VALUES (?, 0)")) {
									insert.setInt(1, writer);
									insert.executeUpdate();
								}
								try (Statement read = connection.createStatement()) {
									read.executeQuery("SELECT COUNT(*) FROM t").close();
								}
							}
						}
						return null;
					}));
				}
				for (Future<?> one : done) {
					one.get();
				}
			}
			try (Connection check = writers.getConnection(); Statement count = check.createStatement()) {
				var rows = count.executeQuery("SELECT COUNT(*) FROM t");
				rows.next();
				// 100 single writes, 80 committed transactions of 3, 20 rolled back
				assertThat(rows.getInt(1)).isEqualTo(100 + 80 * 3);
			}
			assertThat(writers.waiting()).isZero();
		}
	}

	@Test
	void aTransactionLeftOpenGivesTheTurnBackWhenItsConnectionCloses() throws Exception {
		try (HikariDataSource pool = pool("left.db")) {
			SqliteWriters writers = new SqliteWriters(pool);
			try (Connection setup = writers.getConnection(); Statement create = setup.createStatement()) {
				create.execute("CREATE TABLE t (a INTEGER)");
			}
			try (Connection forgetful = writers.getConnection()) {
				forgetful.setAutoCommit(false);
				forgetful.createStatement().executeUpdate("INSERT INTO t VALUES (1)");
			}
			Thread other = Thread.ofVirtual().start(() -> {
				try (Connection next = writers.getConnection()) {
					next.setAutoCommit(false);
					next.createStatement().executeUpdate("INSERT INTO t VALUES (2)");
					next.commit();
					next.setAutoCommit(true);
				}
				catch (Exception failed) {
					throw new IllegalStateException(failed);
				}
			});
			other.join(java.time.Duration.ofSeconds(10));
			assertThat(other.isAlive()).as("the next writer got its turn").isFalse();
		}
	}

}
