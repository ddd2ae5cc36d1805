package io.switchboard.channel.discord;

import javax.sql.DataSource;

/** The rules of the comics to post on Discord, on SQLite. */
class ComicPostsSqliteTest extends ComicPostsContract {

	private final DataSource dataSource = TestDatabases.sqlite();

	@Override
	DataSource dataSource() {
		return dataSource;
	}

}
