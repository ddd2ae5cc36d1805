package io.switchboard.history;

/** Search and export on SQLite (the test profile's temporary file), with FTS5. */
class SqliteHistoryTest extends HistoryContract {

}
