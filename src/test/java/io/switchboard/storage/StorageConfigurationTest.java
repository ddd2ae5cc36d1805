package io.switchboard.storage;

import java.nio.file.Path;

import io.switchboard.testsupport.Postgres;
import io.switchboard.testsupport.StandaloneApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bad storage setting stops start-up with a message that names the property; each kind
 * is refused before anything is written (no DynamoDB or S3 call is made).
 */
class StorageConfigurationTest {

	@TempDir
	Path data;

	private void refused(String expected, String... properties) {
		assertThatThrownBy(() -> StandaloneApplication.start(data.resolve("switchboard.db"), properties).close())
			.satisfies(failure -> assertThat(StandaloneApplication.messages(failure)).contains(expected));
	}

	@Test
	void anUnknownStoreNamesTheProperty() {
		refused("switchboard.storage.type", "switchboard.storage.type=cassandra");
	}

	@Test
	void dynamoDbNeedsARegion() {
		refused("switchboard.storage.dynamodb.region must be set", "switchboard.storage.type=dynamodb");
	}

	@Test
	void aTableNameDynamoDbWouldRefuseIsNamed() {
		refused("switchboard.storage.dynamodb.table \"no spaces please\"", "switchboard.storage.type=dynamodb",
				"switchboard.storage.dynamodb.region=us-east-1", "switchboard.storage.dynamodb.table=no spaces please");
	}

	@Test
	void s3NeedsTheDynamoDbStore() {
		refused("switchboard.storage.s3.bucket needs switchboard.storage.type=dynamodb",
				"switchboard.storage.s3.bucket=my-images", "switchboard.storage.s3.region=us-east-1");
	}

	@Test
	void s3NeedsARegionAndAValidBucketAndLinkTime() {
		String[] dynamo = { "switchboard.storage.type=dynamodb", "switchboard.storage.dynamodb.region=us-east-1",
				"switchboard.storage.dynamodb.endpoint=http://127.0.0.1:9" };
		refused("switchboard.storage.s3.region must be set", concat(dynamo, "switchboard.storage.s3.bucket=my-images"));
		refused("switchboard.storage.s3.bucket \"My_Images\"",
				concat(dynamo, "switchboard.storage.s3.bucket=My_Images", "switchboard.storage.s3.region=us-east-1"));
		refused("switchboard.storage.s3.link-ttl must be between 1s and 7d",
				concat(dynamo, "switchboard.storage.s3.bucket=my-images", "switchboard.storage.s3.region=us-east-1",
						"switchboard.storage.s3.link-ttl=30d"));
	}

	@Test
	void dynamoDbBesidePostgresqlIsRefusedSayingWhy() {
		Postgres.requireOrSkip();
		assertThatThrownBy(() -> StandaloneApplication
			.startOn(Postgres.newSchema(), "spring.datasource.username=" + Postgres.USER,
					"switchboard.storage.type=dynamodb", "switchboard.storage.dynamodb.region=us-east-1",
					"switchboard.storage.dynamodb.endpoint=http://127.0.0.1:9")
			.close())
			.satisfies(failure -> assertThat(StandaloneApplication.messages(failure))
				.contains("switchboard.storage.type=dynamodb needs SQLite"));
	}

	private static String[] concat(String[] first, String... more) {
		String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
		System.arraycopy(more, 0, all, first.length, more.length);
		return all;
	}

}
