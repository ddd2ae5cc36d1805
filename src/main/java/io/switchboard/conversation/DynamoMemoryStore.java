package io.switchboard.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Repository;

import static io.switchboard.storage.DynamoTable.key;
import static io.switchboard.storage.DynamoTable.n;
import static io.switchboard.storage.DynamoTable.number;
import static io.switchboard.storage.DynamoTable.s;
import static io.switchboard.storage.DynamoTable.string;

/**
 * Remembered facts in DynamoDB: item {@code U#user} / {@code F#id}, in the user's
 * partition, numbered by the atomic counter {@code SEQ#fact} so that the key order is the
 * order they were remembered in. A user keeps a few dozen at most
 * ({@code switchboard.memory.max-facts}), so listing them is one query.
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoMemoryStore implements MemoryStorage {

	private final DynamoTable table;

	DynamoMemoryStore(DynamoTable table) {
		this.table = table;
	}

	@Override
	public List<Fact> list(UserId user) {
		List<Fact> facts = new ArrayList<>();
		for (Map<String, AttributeValue> item : items(user)) {
			facts.add(new Fact(number(item, "id"), facts.size() + 1, string(item, "fact"),
					Instant.ofEpochMilli(number(item, "created_at"))));
		}
		return facts;
	}

	@Override
	public long count(UserId user) {
		return items(user).size();
	}

	@Override
	public void add(UserId user, String fact, Instant now) {
		long id = table.nextId("fact");
		Map<String, AttributeValue> item = new HashMap<>(key(DynamoItems.user(user), sortKey(id)));
		item.put("id", n(id));
		item.put("fact", s(fact));
		item.put("created_at", n(now.toEpochMilli()));
		table.put(PutItemRequest.builder().item(item));
	}

	@Override
	public boolean delete(UserId user, long id) {
		return table.deleteIf(DeleteItemRequest.builder()
			.key(key(DynamoItems.user(user), sortKey(id)))
			.conditionExpression("attribute_exists(pk)"));
	}

	@Override
	public int deleteAll(UserId user) {
		List<Map<String, AttributeValue>> keys = items(user).stream()
			.map(item -> key(string(item, "pk"), string(item, "sk")))
			.toList();
		table.deleteAll(keys);
		return keys.size();
	}

	private List<Map<String, AttributeValue>> items(UserId user) {
		List<Map<String, AttributeValue>> items = new ArrayList<>();
		Map<String, AttributeValue> start = null;
		do {
			QueryResponse response = table.query(QueryRequest.builder()
				.keyConditionExpression("pk = :pk AND begins_with(sk, :facts)")
				.expressionAttributeValues(Map.of(":pk", s(DynamoItems.user(user)), ":facts", s("F#")))
				.consistentRead(true)
				.exclusiveStartKey(start));
			items.addAll(response.items());
			start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
					? response.lastEvaluatedKey() : null;
		}
		while (start != null);
		return items;
	}

	private static String sortKey(long id) {
		return "F#%012d".formatted(id);
	}

}
