package io.switchboard.storage;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The one table's shape: keys, three indexes and time to live, as the deployment template
 * declares it too ({@code SamTemplateTest} compares them). The store makes it on start
 * unless {@code create-table} is off; benchmarks make it beforehand, as a deployment
 * does.
 */
public final class DynamoSchema {

	private static final Logger log = LoggerFactory.getLogger(DynamoSchema.class);

	private DynamoSchema() {
	}

	/**
	 * Creates the table with its three indexes, billed per request, and waits until it is
	 * active. The indexes and their keys are described in docs/dynamodb.md.
	 */
	public static void createIfMissing(DynamoDbClient client, String name) {
		try {
			client.describeTable(request -> request.tableName(name));
			return;
		}
		catch (ResourceNotFoundException missing) {
			log.info("Creating the DynamoDB table {}", name);
		}
		try {
			client.createTable(request -> request.tableName(name)
				.billingMode(BillingMode.PAY_PER_REQUEST)
				.attributeDefinitions(attributes(DynamoTable.PK, DynamoTable.SK, "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk",
						"gsi3pk", "gsi3sk"))
				.keySchema(keys(DynamoTable.PK, DynamoTable.SK))
				.globalSecondaryIndexes(index(DynamoTable.GSI1, ProjectionType.ALL),
						index(DynamoTable.GSI2, ProjectionType.ALL),
						index(DynamoTable.GSI3, ProjectionType.KEYS_ONLY)));
		}
		catch (ResourceInUseException raced) {
			// another node created it a moment ago
		}
		// the SDK's own waiter asks every 20 s; a new table on demand is active within
		// seconds (dynalite's in half of one), so ask soon and then less often
		client.waiter()
			.waitUntilTableExists(request -> request.tableName(name), waiting -> waiting
				.waitTimeout(Duration.ofMinutes(5))
				.backoffStrategyV2(
						BackoffStrategy.exponentialDelayWithoutJitter(Duration.ofMillis(100), Duration.ofSeconds(5))));
		try {
			// items with an "expires_at" (epoch seconds) go by themselves once it has
			// passed: forgotten confirmations (dynalite has no time to live; they are
			// checked by their expiry anyway)
			client.updateTimeToLive(request -> request.tableName(name)
				.timeToLiveSpecification(ttl -> ttl.attributeName("expires_at").enabled(true)));
		}
		catch (RuntimeException unsupported) {
			log.info("The DynamoDB endpoint did not turn on time to live for {}: {}", name, unsupported.getMessage());
		}
	}

	private static List<AttributeDefinition> attributes(String... names) {
		return java.util.Arrays.stream(names)
			.map(attribute -> AttributeDefinition.builder()
				.attributeName(attribute)
				.attributeType(ScalarAttributeType.S)
				.build())
			.toList();
	}

	private static List<KeySchemaElement> keys(String partition, String sort) {
		return List.of(KeySchemaElement.builder().attributeName(partition).keyType(KeyType.HASH).build(),
				KeySchemaElement.builder().attributeName(sort).keyType(KeyType.RANGE).build());
	}

	private static GlobalSecondaryIndex index(String name, ProjectionType projection) {
		return GlobalSecondaryIndex.builder()
			.indexName(name)
			.keySchema(keys(name + "pk", name + "sk"))
			.projection(Projection.builder().projectionType(projection).build())
			.build();
	}

}
