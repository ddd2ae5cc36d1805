package io.switchboard.channel.slack;

/** The Slack store on SQLite (the test profile's temp file). */
class SqliteSlackStoreTest extends SlackStoreContract {

}
