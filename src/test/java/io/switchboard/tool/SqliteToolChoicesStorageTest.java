package io.switchboard.tool;

/** Tool choices on an SQLite file in a temp folder (see application-test.yml). */
class SqliteToolChoicesStorageTest extends ToolChoicesStorageContract {

}
