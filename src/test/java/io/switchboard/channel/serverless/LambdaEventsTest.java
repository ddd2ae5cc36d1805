package io.switchboard.channel.serverless;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event JSON the end-to-end tests hand the functions is what Lambda hands them: AWS's
 * own event loader (aws-lambda-java-tests, with Lambda's serialization) reads it into the
 * events the functions take.
 */
class LambdaEventsTest {

	@Test
	void theWebhookEventIsAnHttpApiPayloadTwo() {
		APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("serverless/apigateway-http-line.json");

		assertThat(event.getVersion()).isEqualTo("2.0");
		assertThat(event.getRouteKey()).isEqualTo("POST /line/webhook");
		assertThat(event.getRequestContext().getHttp().getMethod()).isEqualTo("POST");
		assertThat(event.getHeaders()).containsKey("x-line-signature");
		assertThat(event.getIsBase64Encoded()).isFalse();
	}

	@Test
	void theWorkerEventIsAnSqsBatch() {
		SQSEvent event = EventLoader.loadSQSEvent("serverless/sqs-turn.json");

		assertThat(event.getRecords()).singleElement().satisfies(message -> {
			assertThat(message.getEventSource()).isEqualTo("aws:sqs");
			assertThat(message.getEventSourceArn()).startsWith("arn:aws:sqs:");
			assertThat(message.getAttributes()).containsKey("ApproximateReceiveCount");
			assertThat(message.getReceiptHandle()).isNotBlank();
		});
	}

}
