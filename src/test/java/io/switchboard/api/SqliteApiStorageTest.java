package io.switchboard.api;

/** The API's storage contract on SQLite (the test profile's temporary file). */
class SqliteApiStorageTest extends ApiStorageContract {

}
