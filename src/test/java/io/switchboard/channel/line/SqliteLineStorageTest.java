package io.switchboard.channel.line;

/** The LINE tables on an SQLite file in a temp folder (see application-test.yml). */
class SqliteLineStorageTest extends LineStorageContract {

}
