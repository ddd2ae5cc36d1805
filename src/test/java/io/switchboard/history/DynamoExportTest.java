package io.switchboard.history;

import io.switchboard.testsupport.Dynalite;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Export with the chat core on DynamoDB (dynalite), in a fresh table. Skips with a
 * message when dynalite does not answer, unless CI makes it mandatory.
 */
class DynamoExportTest extends ExportContract {

	@BeforeAll
	static void requireDynamo() {
		Dynalite.requireOrSkip();
	}

	@DynamicPropertySource
	static void dynamo(DynamicPropertyRegistry registry) {
		Dynalite.freshTable(registry);
	}

}
