package io.switchboard.storage;

import io.switchboard.testsupport.Dynalite;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The storage contract with the chat core on DynamoDB (dynalite), in a fresh table. Skips
 * with a message when dynalite does not answer, unless CI makes it mandatory.
 */
class DynamoStorageTest extends StorageContract {

	@BeforeAll
	static void requireDynamo() {
		Dynalite.requireOrSkip();
	}

	@DynamicPropertySource
	static void dynamo(DynamicPropertyRegistry registry) {
		String table = Dynalite.newTable();
		registry.add("switchboard.storage.type", () -> "dynamodb");
		registry.add("switchboard.storage.dynamodb.table", () -> table);
		registry.add("switchboard.storage.dynamodb.region", () -> "us-east-1");
		registry.add("switchboard.storage.dynamodb.endpoint", Dynalite.ENDPOINT::toString);
	}

}
