package io.switchboard.channel.serverless;

import java.util.List;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.channel.ChannelBacklog;
import io.switchboard.channel.HandedOverTurns;
import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.services.sqs.SqsClient;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker function and its queue, in the worker's application
 * ({@link LambdaApplication}); nothing here exists unless
 * {@code switchboard.serverless.queue-url} is set, so the server is untouched. Spring
 * Cloud Function's {@code FunctionInvoker} finds the function named by
 * {@code spring.cloud.function.definition} ({@code worker}) among these beans. (The
 * webhook function has an application of its own, {@link WebhookApplication}.)
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("switchboard.serverless.queue-url")
@EnableConfigurationProperties(ServerlessProperties.class)
class ServerlessConfiguration {

	@Bean(destroyMethod = "close")
	SqsClient serverlessSqsClient(ServerlessProperties properties) {
		return properties.newClient();
	}

	@Bean
	InvocationHandoff invocationHandoff(SqsClient serverlessSqsClient, ServerlessProperties properties,
			ObjectMapper json) {
		return new InvocationHandoff(new SqsTurnHandoff(serverlessSqsClient, properties.queueUrl().toString(), json));
	}

	@Bean
	WorkerFunction worker(HandedOverTurns turns, InvocationHandoff handoff, List<ChannelBacklog> channels,
			ObjectMapper json, ServerlessProperties properties) {
		return new WorkerFunction(turns, handoff, channels, json, properties);
	}

	@Bean
	Priming priming(WorkerFunction worker, DynamoTable table) {
		return new Priming(() -> {
			SQSEvent empty = new SQSEvent();
			empty.setRecords(List.of());
			worker.apply(empty);
			table.get(DynamoTable.key("PRIME#", "A"));
		}, table);
	}

}
