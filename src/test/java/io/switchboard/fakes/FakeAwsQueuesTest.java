package io.switchboard.fakes;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fake SQS and SSM speak what the AWS SDK speaks: the SDK's own clients (which check
 * SQS's MD5 digests) work against them, and they keep SQS's visibility, receive counts
 * and redrive to a dead-letter queue.
 */
class FakeAwsQueuesTest {

	private static final StaticCredentialsProvider KEYS = StaticCredentialsProvider
		.create(AwsBasicCredentials.create("test", "test"));

	private FakeSqs sqs;

	private FakeSsm ssm;

	@BeforeAll
	static void region() {
		System.setProperty("aws.region", "us-east-1");
	}

	@AfterEach
	void close() {
		if (sqs != null) {
			sqs.close();
		}
		if (ssm != null) {
			ssm.close();
		}
	}

	private SqsClient sqsClient() {
		return SqsClient.builder()
			.region(Region.US_EAST_1)
			.credentialsProvider(KEYS)
			.endpointOverride(sqs.uri())
			.httpClientBuilder(UrlConnectionHttpClient.builder())
			.build();
	}

	@Test
	void sdkSendsReceivesAndDeletesWithItsDigestsChecked() {
		sqs = FakeSqs.start("turns", 3);
		String url = sqs.queueUrl("turns");
		try (SqsClient client = sqsClient()) {
			client.sendMessage(send -> send.queueUrl(url).messageBody("{\"turn\":1} ünïcode"));
			List<Message> received = client
				.receiveMessage(receive -> receive.queueUrl(url)
					.maxNumberOfMessages(10)
					.visibilityTimeout(30)
					.messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
				.messages();
			assertThat(received).singleElement().satisfies(message -> {
				assertThat(message.body()).isEqualTo("{\"turn\":1} ünïcode");
				assertThat(message.attributes()).containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
						"1");
			});
			assertThat(client.receiveMessage(receive -> receive.queueUrl(url)).messages())
				.as("invisible while received")
				.isEmpty();
			client.deleteMessage(delete -> delete.queueUrl(url).receiptHandle(received.get(0).receiptHandle()));
			assertThat(sqs.messages("turns")).isEmpty();
			assertThat(sqs.requests()).allSatisfy(request -> {
				assertThat(request.header("content-type")).startsWith("application/x-amz-json-1.0");
				assertThat(request.header("x-amz-target")).startsWith("AmazonSQS.");
			});
		}
	}

	@Test
	void aMessageReceivedTooOftenMovesToTheDeadLetterQueue() {
		sqs = FakeSqs.start("turns", 2);
		try (SqsClient client = sqsClient()) {
			client.sendMessage(send -> send.queueUrl(sqs.queueUrl("turns")).messageBody("poison"));
		}
		assertThat(sqs.receive("turns", 10, Duration.ofSeconds(30))).singleElement()
			.satisfies(message -> assertThat(message.receives()).isEqualTo(1));
		sqs.expireVisibility("turns");
		assertThat(sqs.receive("turns", 10, Duration.ofSeconds(30))).singleElement()
			.satisfies(message -> assertThat(message.receives()).isEqualTo(2));
		sqs.expireVisibility("turns");
		assertThat(sqs.receive("turns", 10, Duration.ofSeconds(30))).isEmpty();
		assertThat(sqs.messages("turns-dlq")).extracting(FakeSqs.Message::body).containsExactly("poison");
	}

	@Test
	void anUnknownQueueIsTheSdksQueueDoesNotExist() {
		sqs = FakeSqs.start("turns", 3);
		try (SqsClient client = sqsClient()) {
			assertThatThrownBy(
					() -> client.sendMessage(send -> send.queueUrl(sqs.uri() + "/000000000000/nope").messageBody("x")))
				.isInstanceOf(QueueDoesNotExistException.class);
		}
	}

	@Test
	void ssmGivesSecureStringsInClearOnlyWhenAskedToDecrypt() {
		ssm = FakeSsm.start().secure("/sb/line-secret", "s3cret");
		try (SsmClient client = SsmClient.builder()
			.region(Region.US_EAST_1)
			.credentialsProvider(KEYS)
			.endpointOverride(ssm.uri())
			.httpClientBuilder(UrlConnectionHttpClient.builder())
			.build()) {
			assertThat(client.getParameter(get -> get.name("/sb/line-secret").withDecryption(true)).parameter().value())
				.isEqualTo("s3cret");
			assertThat(client.getParameter(get -> get.name("/sb/line-secret")).parameter().value())
				.isNotEqualTo("s3cret");
			var both = client.getParameters(get -> get.names("/sb/line-secret", "/sb/none").withDecryption(true));
			assertThat(both.parameters()).singleElement().satisfies(p -> assertThat(p.value()).isEqualTo("s3cret"));
			assertThat(both.invalidParameters()).containsExactly("/sb/none");
			assertThatThrownBy(() -> client.getParameter(get -> get.name("/sb/none")))
				.isInstanceOf(ParameterNotFoundException.class);
			assertThat(ssm.requests()).allSatisfy(request -> {
				assertThat(request.header("content-type")).startsWith("application/x-amz-json-1.1");
				assertThat(request.header("x-amz-target")).startsWith("AmazonSSM.GetParameter");
			});
		}
	}

}
