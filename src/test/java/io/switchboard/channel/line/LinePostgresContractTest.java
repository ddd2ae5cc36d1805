package io.switchboard.channel.line;

import java.nio.file.Path;
import java.util.List;

import io.switchboard.channel.ChannelContract;
import io.switchboard.testsupport.Postgres;

/**
 * The channel contract on LINE, on PostgreSQL: the pipeline's tables, claims and leases
 * under a second dialect, and a turn taken over only once its lease has run out.
 */
class LinePostgresContractTest extends ChannelContract {

	@Override
	protected Rig newRig() {
		return new LineRig();
	}

	@Override
	protected String database(Path folder, String name) {
		Postgres.requireOrSkip();
		return Postgres.newSchema();
	}

	@Override
	protected List<String> databaseSettings() {
		return List.of("spring.datasource.username=" + Postgres.USER);
	}

}
