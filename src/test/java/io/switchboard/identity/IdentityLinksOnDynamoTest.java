package io.switchboard.identity;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.UserId;
import io.switchboard.storage.StorageProperties;
import io.switchboard.storage.StorageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With the conversations in DynamoDB, linking (which moves an account's sessions and
 * usage in SQL) is refused with the reason, before anything is written.
 */
class IdentityLinksOnDynamoTest {

	@TempDir
	Path folder;

	@Test
	void linkingOnADynamoServerIsRefusedWithTheReason() {
		DriverManagerDataSource sideStore = new DriverManagerDataSource("jdbc:sqlite:" + folder.resolve("side.db"));
		StorageProperties dynamo = new StorageProperties(StorageType.DYNAMODB,
				new StorageProperties.Dynamo("switchboard", "us-east-1", null, false),
				new StorageProperties.S3(null, null, null, false, Duration.ofHours(1)));
		// the side store has no link tables at all: a refusal that wrote first would fail
		// with an SQL error instead
		IdentityLinks links = new IdentityLinks(JdbcClient.create(sideStore),
				new TransactionTemplate(new DataSourceTransactionManager(sideStore)), Clock.systemUTC(), dynamo);
		PlatformUserId line = new PlatformUserId("line", "U1");

		assertThatThrownBy(() -> links.issue(new UserId(1))).isInstanceOf(IdentityLinks.Refused.class)
			.hasMessageContaining("DynamoDB");
		assertThatThrownBy(() -> links.redeem(line, new UserId(2), "ABCDEFGH"))
			.isInstanceOf(IdentityLinks.Refused.class)
			.hasMessageContaining("DynamoDB");
		assertThatThrownBy(() -> links.unlink(line)).isInstanceOf(IdentityLinks.Refused.class)
			.hasMessageContaining("DynamoDB");
	}

}
