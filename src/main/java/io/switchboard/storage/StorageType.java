package io.switchboard.storage;

/** Where the chat core keeps users, sessions, messages and the usage ledger. */
public enum StorageType {

	/** The SQL database of {@code spring.datasource} (SQLite or PostgreSQL). */
	JDBC,

	/** A DynamoDB table; the SQL database still keeps what is not the chat core. */
	DYNAMODB

}
