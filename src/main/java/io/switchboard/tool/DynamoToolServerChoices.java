package io.switchboard.tool;

import java.util.HashMap;
import java.util.Map;

import io.switchboard.conversation.SessionId;
import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Repository;

import static io.switchboard.storage.DynamoTable.flag;
import static io.switchboard.storage.DynamoTable.key;
import static io.switchboard.storage.DynamoTable.s;
import static io.switchboard.storage.DynamoTable.string;

/**
 * Choices in DynamoDB: item {@code S#session} / {@code TS#server}, in the session's
 * partition (removing the session removes them); a turn reads them with one query of the
 * {@code TS#} items.
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoToolServerChoices implements ToolServerChoices {

	private static final String PREFIX = "TS#";

	private final DynamoTable table;

	DynamoToolServerChoices(DynamoTable table) {
		this.table = table;
	}

	@Override
	public Map<String, Boolean> choices(SessionId session) {
		Map<String, Boolean> chosen = new HashMap<>();
		Map<String, AttributeValue> start = null;
		do {
			QueryResponse response = table.query(QueryRequest.builder()
				.keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
				.expressionAttributeValues(Map.of(":pk", s(partition(session)), ":prefix", s(PREFIX)))
				.consistentRead(true)
				.exclusiveStartKey(start));
			response.items().forEach(item -> chosen.put(string(item, "server"), flag(item, "enabled")));
			start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
					? response.lastEvaluatedKey() : null;
		}
		while (start != null);
		return chosen;
	}

	@Override
	public void choose(SessionId session, String server, boolean enabled) {
		Map<String, AttributeValue> item = new HashMap<>(key(partition(session), PREFIX + server));
		item.put("server", s(server));
		item.put("enabled", DynamoTable.bool(enabled));
		table.put(PutItemRequest.builder().item(item));
	}

	/** The session's partition, as the conversation module's session store keys it. */
	private static String partition(SessionId session) {
		return "S#" + session.value();
	}

}
