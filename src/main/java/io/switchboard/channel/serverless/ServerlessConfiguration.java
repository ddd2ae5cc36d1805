package io.switchboard.channel.serverless;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.channel.HandedOverTurns;
import io.switchboard.channel.TurnHandoff;
import io.switchboard.channel.line.LineWebhook;
import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The two functions and the queue between them; nothing here exists unless
 * {@code switchboard.serverless.queue-url} is set, so the server is untouched. Spring
 * Cloud Function's {@code FunctionInvoker} finds the function named by
 * {@code spring.cloud.function.definition} ({@code webhook} or {@code worker}) among
 * these beans.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("switchboard.serverless.queue-url")
@EnableConfigurationProperties(ServerlessProperties.class)
class ServerlessConfiguration {

	@Bean(destroyMethod = "close")
	SqsClient serverlessSqsClient(ServerlessProperties properties) {
		SqsClientBuilder builder = SqsClient.builder()
			.region(Region.of(properties.region()))
			.httpClientBuilder(UrlConnectionHttpClient.builder());
		if (properties.sqsEndpoint() != null) {
			builder.endpointOverride(properties.sqsEndpoint());
		}
		return builder.build();
	}

	@Bean
	TurnHandoff sqsTurnHandoff(SqsClient serverlessSqsClient, ServerlessProperties properties, ObjectMapper json) {
		return new SqsTurnHandoff(serverlessSqsClient, properties.queueUrl().toString(), json);
	}

	@Bean
	@ConditionalOnBean(LineWebhook.class)
	WebhookFunction webhook(LineWebhook webhook, HandedOverTurns turns, ServerlessProperties properties) {
		return new WebhookFunction(webhook, turns, properties);
	}

	@Bean
	Priming priming(ObjectProvider<LineWebhook> webhook, WorkerFunction worker, ObjectProvider<DynamoTable> table) {
		return new Priming(webhook.getIfAvailable(), worker, table.getIfAvailable());
	}

	@Bean
	WorkerFunction worker(HandedOverTurns turns, ObjectMapper json, ServerlessProperties properties) {
		return new WorkerFunction(turns, json, properties);
	}

}
