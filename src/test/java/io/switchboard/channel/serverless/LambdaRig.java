package io.switchboard.channel.serverless;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.fakes.FakeLine;
import io.switchboard.fakes.FakeOpenAi;
import io.switchboard.fakes.FakeS3;
import io.switchboard.fakes.FakeSqs;
import io.switchboard.fakes.FakeSsm;
import io.switchboard.fakes.Json;
import io.switchboard.testsupport.Dynalite;

import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * The serverless edition on one machine: the two functions started as AWS Lambda starts
 * them (Spring Cloud Function's {@link FunctionInvoker}, one application context each, as
 * two containers), the chat core in a fresh dynalite table, photos in a fake S3 bucket,
 * secrets in a fake SSM, the queue and its dead-letter queue in a fake SQS, and the fake
 * LINE and model. Events are the JSON API Gateway (HTTP API, payload 2.0) and SQS hand to
 * Lambda; the rig plays Lambda's SQS event source mapping (receive, invoke, delete what
 * did not fail).
 */
final class LambdaRig implements AutoCloseable {

	static final String QUEUE = "switchboard-turns";

	static final String REGION = "ap-northeast-1";

	static final int MAX_RECEIVES = 3;

	static final String BUCKET = "switchboard-photos";

	final FakeLine line = FakeLine.start("lambda-secret", "lambda-token");

	final FakeOpenAi model = FakeOpenAi.start("sk-lambda");

	final FakeSqs sqs = FakeSqs.start(QUEUE, MAX_RECEIVES);

	/** The photo bucket, path-style, as the real S3 client calls it. */
	final FakeS3 s3 = FakeS3.start(BUCKET);

	final FakeSsm ssm = FakeSsm.start()
		.secure("/switchboard/line-channel-secret", line.channelSecret())
		.secure("/switchboard/line-channel-access-token", line.accessToken())
		.secure("/switchboard/openai-api-key", model.apiKey());

	final String table = Dynalite.newTable();

	/** The worker's settings and the webhook's, each with the test's own. */
	private final Map<String, String> workerSettings;

	private final Map<String, String> webhookSettings;

	/**
	 * Settings the rig gives only because it runs on one machine against fakes (their
	 * endpoints, a quick retry, a quiet start); every other setting it gives is one a
	 * deployment gives too (checked against the SAM template by {@code SamTemplateTest}).
	 */
	static final java.util.Set<String> TEST_ONLY = java.util.Set.of("spring.main.banner-mode",
			"switchboard.storage.dynamodb.endpoint", "switchboard.secrets.ssm-endpoint",
			"switchboard.serverless.sqs-endpoint", "switchboard.storage.s3.endpoint",
			"switchboard.storage.s3.path-style", "switchboard.line.api-base-url", "switchboard.line.data-api-base-url",
			"switchboard.llm.retry.initial-backoff");

	/** The settings the worker function starts with: what a deployment must set. */
	static Map<String, String> settings(Path sqlFolder, String table, String sqsUri, String ssmUri, String s3Uri,
			String lineUri, String modelUri) {
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("MAIN_CLASS", LambdaApplication.class.getName());
		settings.put("spring.datasource.url", "jdbc:sqlite:" + sqlFolder.resolve("pipeline.db"));
		settings.put("spring.main.banner-mode", "off");
		settings.putAll(table(table));
		settings.put("switchboard.storage.s3.bucket", BUCKET);
		settings.put("switchboard.storage.s3.region", REGION);
		settings.put("switchboard.storage.s3.endpoint", s3Uri);
		settings.put("switchboard.storage.s3.path-style", "true");
		settings.put("switchboard.secrets.ssm-parameters", SECRETS);
		settings.put("switchboard.secrets.ssm-endpoint", ssmUri);
		settings.put("switchboard.secrets.region", REGION);
		settings.putAll(queue(sqsUri));
		settings.put("switchboard.serverless.dead-letter-queue-arn", arn(QUEUE + "-dlq"));
		settings.put("switchboard.line.api-base-url", lineUri);
		settings.put("switchboard.line.data-api-base-url", lineUri);
		settings.put("switchboard.media.public-base-url", "https://bot.example.com");
		settings.put("switchboard.llm.providers.openai.type", "openai");
		settings.put("switchboard.llm.providers.openai.base-url", modelUri);
		settings.put("switchboard.llm.models.chat.provider", "openai");
		settings.put("switchboard.llm.models.chat.upstream-model", "gpt-4o-mini");
		settings.put("switchboard.llm.models.chat.context-window", "16000");
		settings.put("switchboard.llm.models.chat.vision", "true");
		settings.put("switchboard.llm.default-model", "chat");
		settings.put("switchboard.llm.retry.initial-backoff", "10ms");
		return settings;
	}

	/**
	 * The settings the webhook function starts with, and nothing else: it needs the
	 * table, the queue and LINE's channel secret.
	 */
	static Map<String, String> webhookSettings(String table, String sqsUri, String ssmUri) {
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("MAIN_CLASS", WebhookApplication.class.getName());
		settings.put("spring.config.name", "webhook");
		settings.put("spring.main.banner-mode", "off");
		settings.putAll(table(table));
		settings.put("switchboard.secrets.ssm-parameters", WEBHOOK_SECRETS);
		settings.put("switchboard.secrets.ssm-endpoint", ssmUri);
		settings.put("switchboard.secrets.region", REGION);
		settings.putAll(queue(sqsUri));
		return settings;
	}

	private static Map<String, String> table(String table) {
		Map<String, String> settings = new LinkedHashMap<>();
		for (String setting : Dynalite.settings(table)) {
			int equals = setting.indexOf('=');
			settings.put(setting.substring(0, equals), setting.substring(equals + 1));
		}
		return settings;
	}

	private static Map<String, String> queue(String sqsUri) {
		Map<String, String> settings = new LinkedHashMap<>();
		settings.put("switchboard.serverless.queue-url", sqsUri + "/000000000000/" + QUEUE);
		settings.put("switchboard.serverless.region", REGION);
		settings.put("switchboard.serverless.sqs-endpoint", sqsUri);
		return settings;
	}

	/**
	 * The settings the worker reads from SSM Parameter Store, and the parameters they are
	 * in.
	 */
	static final String SECRETS = "switchboard.line.channel-secret=/switchboard/line-channel-secret,"
			+ "switchboard.line.channel-access-token=/switchboard/line-channel-access-token,"
			+ "switchboard.llm.providers.openai.api-key=/switchboard/openai-api-key";

	/** The one secret the webhook reads. */
	static final String WEBHOOK_SECRETS = "switchboard.line.channel-secret=/switchboard/line-channel-secret";

	FunctionInvoker webhook;

	FunctionInvoker worker;

	/**
	 * @param sqlFolder where the SQL side store (the pipeline's rows, until they move to
	 * DynamoDB) keeps its file, shared by both functions as one table would be
	 */
	LambdaRig(Path sqlFolder, Map<String, String> more) {
		this(sqlFolder, more, true);
	}

	/**
	 * @param start whether to start both functions now (else {@link #startWebhook} and
	 * {@link #startWorker} do)
	 */
	LambdaRig(Path sqlFolder, Map<String, String> more, boolean start) {
		workerSettings = settings(sqlFolder, table, sqs.uri().toString(), ssm.uri().toString(), s3.uri().toString(),
				line.uri().toString(), model.baseUrl().toString());
		workerSettings.putAll(more);
		webhookSettings = webhookSettings(table, sqs.uri().toString(), ssm.uri().toString());
		webhookSettings.putAll(more);
		// the worker reads some settings as it runs (not only at its start): they stay
		workerSettings.forEach(System::setProperty);
		if (start) {
			startWebhook();
			startWorker();
		}
	}

	/**
	 * Starts the webhook function's container (its application); returns the nanoseconds
	 * it took.
	 */
	long startWebhook() {
		// the webhook's application reads its settings as it starts: only its own then,
		// as in its container
		workerSettings.keySet().forEach(System::clearProperty);
		webhookSettings.forEach(System::setProperty);
		try {
			long started = System.nanoTime();
			webhook = new FunctionInvoker("webhook");
			return System.nanoTime() - started;
		}
		finally {
			webhookSettings.keySet().forEach(System::clearProperty);
			workerSettings.forEach(System::setProperty);
		}
	}

	/**
	 * Starts the worker function's container (its application); returns the nanoseconds
	 * it took.
	 */
	long startWorker() {
		long started = System.nanoTime();
		worker = new FunctionInvoker("worker");
		return System.nanoTime() - started;
	}

	/** The settings the webhook function starts with, the test's own included. */
	Map<String, String> webhookSettings() {
		return Map.copyOf(webhookSettings);
	}

	/** The settings the worker function starts with, the test's own included. */
	Map<String, String> workerSettings() {
		return Map.copyOf(workerSettings);
	}

	/** A LINE user id no other test uses. */
	static String newUser() {
		return "U" + java.util.UUID.randomUUID().toString().replace("-", "");
	}

	static String arn(String queue) {
		return "arn:aws:sqs:" + REGION + ":000000000000:" + queue;
	}

	/** A signed LINE webhook call, as API Gateway hands it to the webhook function. */
	JsonNode post(String body) {
		return post(body, line.sign(body.getBytes(StandardCharsets.UTF_8)));
	}

	JsonNode post(String body, String signature) {
		return invoke(webhook, webhookEvent(body, signature));
	}

	/**
	 * The event API Gateway hands the webhook function for a signed LINE webhook call,
	 * not invoked (for a function started elsewhere).
	 */
	ObjectNode webhookEvent(String body) {
		return webhookEvent(body, line.sign(body.getBytes(StandardCharsets.UTF_8)));
	}

	private static ObjectNode webhookEvent(String body, String signature) {
		ObjectNode event = (ObjectNode) resource("apigateway-http-line.json");
		ObjectNode headers = (ObjectNode) event.get("headers");
		headers.put("x-line-signature", signature);
		headers.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
		event.put("body", body);
		return event;
	}

	/**
	 * Lambda's event source mapping, once: receives what is visible on a queue, invokes
	 * the worker with it and deletes the messages the worker did not report as failed.
	 * @return the messages handed to the worker
	 */
	List<FakeSqs.Message> pollOnce(String queue) {
		List<FakeSqs.Message> received = sqs.receive(queue, 10, Duration.ofSeconds(60));
		if (received.isEmpty()) {
			return received;
		}
		settle(queue, received, invoke(worker, sqsEvent(queue, received)).path("batchItemFailures"));
		return received;
	}

	/**
	 * The rest of Lambda's event source mapping: deletes the received messages the worker
	 * did not report in its {@code batchItemFailures}.
	 */
	void settle(String queue, List<FakeSqs.Message> received, JsonNode batchItemFailures) {
		List<String> failed = new ArrayList<>();
		batchItemFailures.forEach(failure -> failed.add(failure.path("itemIdentifier").asText()));
		for (FakeSqs.Message message : received) {
			if (!failed.contains(message.id())) {
				sqs.delete(queue, message.receipt());
			}
		}
	}

	/** The SQS event Lambda would build for these messages. */
	ObjectNode sqsEvent(String queue, List<FakeSqs.Message> messages) {
		ObjectNode template = (ObjectNode) resource("sqs-turn.json").get("Records").get(0);
		ObjectNode event = Json.object();
		ArrayNode records = event.putArray("Records");
		for (FakeSqs.Message message : messages) {
			ObjectNode record = template.deepCopy();
			record.put("messageId", message.id());
			record.put("receiptHandle", message.receipt());
			record.put("body", message.body());
			((ObjectNode) record.get("attributes")).put("ApproximateReceiveCount",
					Integer.toString(message.receives()));
			record.put("eventSourceARN", arn(queue));
			record.put("awsRegion", REGION);
			records.add(record);
		}
		return event;
	}

	JsonNode invoke(FunctionInvoker function, JsonNode event) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			function.handleRequest(new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), out,
					null);
		}
		catch (IOException failure) {
			throw new UncheckedIOException(failure);
		}
		return Json.read(out.toByteArray());
	}

	static JsonNode resource(String name) {
		try (InputStream in = LambdaRig.class.getResourceAsStream("/serverless/" + name)) {
			return Json.read(in.readAllBytes());
		}
		catch (IOException failure) {
			throw new UncheckedIOException(failure);
		}
	}

	@Override
	public void close() {
		workerSettings.keySet().forEach(System::clearProperty);
		line.close();
		model.close();
		sqs.close();
		ssm.close();
		s3.close();
	}

}
