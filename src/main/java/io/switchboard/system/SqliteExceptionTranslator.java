package io.switchboard.system;

import java.sql.SQLException;

import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * Turns SQLite's unique and primary key failures into {@link DuplicateKeyException}, as
 * Spring does for every other database (registered in {@code sql-error-codes.xml}).
 */
public class SqliteExceptionTranslator implements SQLExceptionTranslator {

	@Override
	public DataAccessException translate(String task, String sql, SQLException failure) {
		if (failure instanceof SQLiteException sqlite
				&& (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
						|| sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)) {
			return new DuplicateKeyException(task + "; " + failure.getMessage(), failure);
		}
		return null; // let Spring translate the rest by error code
	}

}
