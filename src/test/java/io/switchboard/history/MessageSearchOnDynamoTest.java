package io.switchboard.history;

import java.nio.file.Path;

import io.switchboard.conversation.UserId;
import io.switchboard.storage.StorageProperties;
import io.switchboard.storage.StorageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With the conversations in DynamoDB the SQL database beside the table holds no messages:
 * a search says it cannot be done there instead of finding nothing.
 */
class MessageSearchOnDynamoTest {

	@TempDir
	Path folder;

	@Test
	void aSearchOnADynamoServerIsRefusedWithTheReason() {
		DriverManagerDataSource sideStore = new DriverManagerDataSource("jdbc:sqlite:" + folder.resolve("side.db"));
		StorageProperties dynamo = new StorageProperties(StorageType.DYNAMODB,
				new StorageProperties.Dynamo("switchboard", "us-east-1", null, false),
				new StorageProperties.S3(null, null, null, false, java.time.Duration.ofHours(1)));
		MessageSearch search = new MessageSearch(JdbcClient.create(sideStore), sideStore, dynamo);

		assertThatThrownBy(() -> search.search(new UserId(1), "tea recipe", 10, 0))
			.isInstanceOf(MessageSearch.BadSearch.class)
			.hasMessageContaining("DynamoDB");
	}

}
