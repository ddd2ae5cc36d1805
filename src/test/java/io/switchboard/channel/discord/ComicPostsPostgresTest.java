package io.switchboard.channel.discord;

import javax.sql.DataSource;

import io.switchboard.testsupport.Postgres;
import org.junit.jupiter.api.BeforeAll;

/**
 * The rules of the comics to post on Discord, on PostgreSQL, a fresh schema per test.
 * Skips with a message when no server answers, unless CI makes PostgreSQL mandatory.
 */
class ComicPostsPostgresTest extends ComicPostsContract {

	@BeforeAll
	static void requirePostgres() {
		Postgres.requireOrSkip();
	}

	private DataSource dataSource;

	@Override
	DataSource dataSource() {
		if (dataSource == null) {
			dataSource = TestDatabases.postgres();
		}
		return dataSource;
	}

}
