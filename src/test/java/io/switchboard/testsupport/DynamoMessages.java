package io.switchboard.testsupport;

import java.util.List;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the messages, deliveries and turns a server kept in a dynalite table, for channel
 * tests that check what was stored (the SQL ones read their tables). A scan: tests only.
 */
public final class DynamoMessages implements AutoCloseable {

	private final DynamoDbClient client = DynamoDbClient.builder()
		.httpClient(UrlConnectionHttpClient.create())
		.region(Region.US_EAST_1)
		.endpointOverride(Dynalite.ENDPOINT)
		.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
		.build();

	/** User messages whose content holds this text. */
	public int questionsStored(String table, String text) {
		return questions(table, text).size();
	}

	/** The state of the answer to the question whose content holds this text. */
	public String answerState(String table, String text) {
		List<Map<String, AttributeValue>> questions = questions(table, text);
		if (questions.size() != 1) {
			throw new IllegalStateException(questions.size() + " questions hold \"" + text + "\"");
		}
		String id = questions.getFirst().get("id").n();
		return scan(table, "reply_to = :id", Map.of(":id", AttributeValue.fromN(id)), Map.of()).getFirst()
			.get("state")
			.s();
	}

	private List<Map<String, AttributeValue>> questions(String table, String text) {
		return scan(table, "#role = :user AND contains(content, :text)",
				Map.of(":user", AttributeValue.fromS("user"), ":text", AttributeValue.fromS(text.replace("%", ""))),
				Map.of("#role", "role"));
	}

	/**
	 * Events the serverless webhook kept as they came ({@code K#} items) whose JSON holds
	 * this text.
	 */
	public int eventsKept(String table, String text) {
		return scan(table, "begins_with(pk, :k) AND contains(#event, :text)",
				Map.of(":k", AttributeValue.fromS("K#"), ":text", AttributeValue.fromS(text)),
				Map.of("#event", "event"))
			.size();
	}

	/** Deliveries not yet sent (nor given up). */
	public int pendingDeliveries(String table) {
		return scan(table, "begins_with(pk, :d) AND #state = :pending",
				Map.of(":d", AttributeValue.fromS("D#"), ":pending", AttributeValue.fromS("pending")),
				Map.of("#state", "state"))
			.size();
	}

	/** Turns under way (a finished turn's item stays a while, out of the index). */
	public int turns(String table) {
		return underWay(table).size();
	}

	private List<Map<String, AttributeValue>> underWay(String table) {
		return scan(table, "begins_with(pk, :t) AND attribute_exists(gsi1pk)",
				Map.of(":t", AttributeValue.fromS("TURN#")), Map.of());
	}

	/** Makes every turn under way look held by {@code node}. */
	public void holdTurns(String table, String node) {
		for (Map<String, AttributeValue> turn : underWay(table)) {
			client.updateItem(request -> request.tableName(table)
				.key(Map.of("pk", turn.get("pk"), "sk", turn.get("sk")))
				.updateExpression("SET #node = :node")
				.expressionAttributeNames(Map.of("#node", "node"))
				.expressionAttributeValues(Map.of(":node", AttributeValue.fromS(node))));
		}
	}

	private List<Map<String, AttributeValue>> scan(String table, String filter, Map<String, AttributeValue> values,
			Map<String, String> names) {
		return client
			.scanPaginator(request -> request.tableName(table)
				.filterExpression(filter)
				.expressionAttributeValues(values)
				.expressionAttributeNames(names.isEmpty() ? null : names)
				.consistentRead(true))
			.items()
			.stream()
			.toList();
	}

	@Override
	public void close() {
		client.close();
	}

}
