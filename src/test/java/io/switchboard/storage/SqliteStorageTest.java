package io.switchboard.storage;

/** The storage contract on an SQLite file in a temp folder (see application-test.yml). */
class SqliteStorageTest extends StorageContract {

}
