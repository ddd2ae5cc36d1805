package io.switchboard.channel.discord;

import javax.sql.DataSource;

/** The gateway lease rules on SQLite. */
class GatewayLeasesSqliteTest extends GatewayLeasesContract {

	private final DataSource dataSource = TestDatabases.sqlite();

	@Override
	DataSource dataSource() {
		return dataSource;
	}

}
