package io.switchboard.channel.line;

import io.switchboard.testsupport.Dynalite;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The LINE channel's storage with the chat path on DynamoDB (dynalite), in a fresh table:
 * waiting photos are items there. Skips with a message when dynalite does not answer,
 * unless CI makes it mandatory.
 */
class DynamoLineStorageTest extends LineStorageContract {

	@BeforeAll
	static void requireDynamo() {
		Dynalite.requireOrSkip();
	}

	@DynamicPropertySource
	static void dynamo(DynamicPropertyRegistry registry) {
		Dynalite.freshTable(registry);
	}

}
