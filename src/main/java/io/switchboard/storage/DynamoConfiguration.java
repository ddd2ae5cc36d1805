package io.switchboard.storage;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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

	@Bean(destroyMethod = "close")
	DynamoDbClient dynamoDbClient(StorageProperties properties) {
		return DynamoTable.client(properties.dynamodb());
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
			DynamoSchema.createIfMissing(client, name);
		}
		return new DynamoTable(client, name, meter);
	}

}
