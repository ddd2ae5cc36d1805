package io.switchboard.storage;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
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

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The DynamoDB client and table, when {@code switchboard.storage.type=dynamodb}.
 * Credentials come from the SDK's default chain (environment, profile, the Lambda or EC2
 * role).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(DynamoConfiguration.class);

	@Bean(destroyMethod = "close")
	DynamoDbClient dynamoDbClient(StorageProperties properties) {
		StorageProperties.Dynamo dynamo = properties.dynamodb();
		DynamoDbClientBuilder builder = DynamoDbClient.builder()
			.httpClient(UrlConnectionHttpClient.create())
			.region(Region.of(dynamo.region()));
		if (dynamo.endpoint() != null) {
			builder.endpointOverride(dynamo.endpoint());
		}
		return builder.build();
	}

	@Bean
	CapacityMeter dynamoCapacityMeter(MeterRegistry registry) {
		return new CapacityMeter(registry);
	}

	@Bean
	DynamoTable dynamoTable(DynamoDbClient client, StorageProperties properties, CapacityMeter meter,
			@Value("${spring.datasource.url:}") String sqlUrl) {
		if (sqlUrl.startsWith("jdbc:postgresql:")) {
			// see SqlBesideDynamo: PostgreSQL would refuse the pipeline's rows that name
			// messages kept in DynamoDB
			throw new IllegalStateException("switchboard.storage.type=dynamodb needs SQLite for the rest"
					+ " (spring.datasource.url is " + sqlUrl.substring(0, sqlUrl.indexOf(':', 5))
					+ "): PostgreSQL's foreign keys to users, sessions and messages cannot hold beside DynamoDB");
		}
		String name = properties.dynamodb().table();
		if (properties.dynamodb().createTable()) {
			createIfMissing(client, name);
		}
		return new DynamoTable(client, name, meter);
	}

	/**
	 * Creates the table with its three indexes, billed per request, and waits until it is
	 * active. The indexes and their keys are described in docs/dynamodb.md.
	 */
	static void createIfMissing(DynamoDbClient client, String name) {
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
		client.waiter().waitUntilTableExists(request -> request.tableName(name));
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
