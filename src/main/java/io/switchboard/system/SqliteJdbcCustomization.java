package io.switchboard.system;

import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;

/**
 * db-scheduler's SQL for SQLite: the default dialect limits rows with
 * {@code FETCH FIRST n ROWS ONLY}, which SQLite does not know; it wants {@code LIMIT n}.
 * Timestamps are written as UTC, which SQLite's driver stores as epoch milliseconds.
 */
class SqliteJdbcCustomization extends DefaultJdbcCustomization {

	SqliteJdbcCustomization() {
		super(true);
	}

	@Override
	public String getName() {
		return "SQLite";
	}

	@Override
	public String getQueryLimitPart(int limit) {
		return " LIMIT " + limit;
	}

}
