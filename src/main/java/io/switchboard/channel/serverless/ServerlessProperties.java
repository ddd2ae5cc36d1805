package io.switchboard.channel.serverless;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.Environment;
import org.springframework.validation.annotation.Validated;

/**
 * The serverless edition, bound from {@code switchboard.serverless.*}; only when a queue
 * is set (the SAM template sets it on both functions).
 *
 * @param queueUrl the SQS queue between the functions: the events the webhook keeps, and
 * turns handed over
 * @param region the queue's AWS region
 * @param sqsEndpoint another SQS endpoint (tests point it at a fake); none: AWS's
 * @param deadLetterQueueArn the queue's dead-letter queue, also a trigger of the worker:
 * a turn that arrives from there failed every time, so its question is settled as failed
 * and the user told
 * @param sendWait how long a function waits for the sends it started before it returns (a
 * Lambda function is frozen once it returns; what is not sent by then is sent when the
 * turn's SQS message comes again)
 */
@Validated
@ConfigurationProperties("switchboard.serverless")
// also keeps the server's properties scan from binding (and checking) them
@ConditionalOnProperty("switchboard.serverless.queue-url")
record ServerlessProperties(@NotNull URI queueUrl, @NotBlank String region, URI sqsEndpoint, String deadLetterQueueArn,
		@DefaultValue("10s") @NotNull Duration sendWait) {

	/**
	 * Bound without the bean validation the worker's context checks them with (the
	 * webhook function starts without a validator, for its cold start): the same checks,
	 * here.
	 * @throws IllegalStateException when the queue or its region is missing
	 */
	static ServerlessProperties from(Environment environment) {
		ServerlessProperties properties = Binder.get(environment)
			.bindOrCreate("switchboard.serverless", ServerlessProperties.class);
		if (properties.queueUrl() == null || properties.region() == null || properties.region().isBlank()) {
			throw new IllegalStateException(
					"switchboard.serverless.queue-url and switchboard.serverless.region must be set");
		}
		return properties;
	}

	/** A client for the queue (the JDK's HTTP client: quick to start). */
	SqsClient newClient() {
		SqsClientBuilder builder = SqsClient.builder()
			.region(Region.of(region))
			.httpClientBuilder(UrlConnectionHttpClient.builder());
		if (sqsEndpoint != null) {
			builder.endpointOverride(sqsEndpoint);
		}
		return builder.build();
	}

}
