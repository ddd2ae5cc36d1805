package io.switchboard.channel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Repository;

import static io.switchboard.storage.DynamoTable.key;
import static io.switchboard.storage.DynamoTable.n;
import static io.switchboard.storage.DynamoTable.number;
import static io.switchboard.storage.DynamoTable.s;
import static io.switchboard.storage.DynamoTable.string;

/**
 * Turns under way in DynamoDB, one item {@code TURN#id} each, all listed by index
 * {@code gsi1} under {@code TURNS} in id order. Only turns under way are in the index (a
 * finished turn leaves it), so the index partition stays as small as the number of
 * questions being answered at once, and the recovery's reads of it (every
 * {@code recovery-interval} on every node) stay small too. Every change of a holder is a
 * conditional update on the item itself, read consistently; the index (eventually
 * consistent) only says which items to look at.
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoTurnStore implements TurnStore {

	private static final String ALL = "TURNS";

	private final DynamoTable table;

	private final DynamoPipelineTransactions units;

	private final java.time.Duration keep;

	DynamoTurnStore(DynamoTable table, DynamoPipelineTransactions units, ChannelProperties properties) {
		this.table = table;
		this.units = units;
		this.keep = properties.keep();
	}

	@Override
	public Row insert(long answerId, long deliveryId, String platform, String lane, long userId, String provider,
			String node, long leaseUntil, long now) {
		long id = table.nextId("turn");
		Map<String, AttributeValue> item = new HashMap<>(key(item(id), "A"));
		item.put("id", n(id));
		item.put("answer_id", n(answerId));
		item.put("delivery_id", n(deliveryId));
		item.put("platform", s(platform));
		item.put("lane", s(lane));
		item.put("user_id", n(userId));
		item.put("provider", s(provider));
		item.put("node", s(node));
		item.put("lease_until", n(leaseUntil));
		item.put("attempts", n(1));
		item.put("created_at", n(now));
		item.put("gsi1pk", s(ALL));
		item.put("gsi1sk", s("%012d".formatted(id)));
		units.turnComing(id);
		table.put(PutItemRequest.builder().item(item).conditionExpression("attribute_not_exists(pk)"));
		return new Row(id, answerId, deliveryId, platform, lane, userId, provider, 1);
	}

	@Override
	public List<Row> orphaned(long now, boolean all, int limit) {
		List<Row> rows = new ArrayList<>();
		each(all ? null : "lease_until < :now", all ? Map.of() : Map.of(":now", n(now)), item -> {
			if (rows.size() < limit) {
				rows.add(map(item));
			}
		}, limit);
		return rows;
	}

	@Override
	public boolean takeOver(long id, String node, long leaseUntil, long now, boolean all) {
		Map<String, AttributeValue> values = new HashMap<>(
				Map.of(":node", s(node), ":lease", n(leaseUntil), ":now", n(now), ":one", n(1)));
		String condition = all
				? "attribute_exists(pk) AND (lease_until < :now OR attribute_not_exists(#node)" + " OR #node <> :node)"
				: "attribute_exists(pk) AND lease_until < :now";
		return table.updateIf(UpdateItemRequest.builder()
			.key(key(item(id), "A"))
			.updateExpression("SET #node = :node, lease_until = :lease ADD attempts :one")
			.conditionExpression(condition)
			.expressionAttributeNames(Map.of("#node", "node"))
			.expressionAttributeValues(values));
	}

	/** Only a turn under way (still in the index): a finished one stays finished. */
	@Override
	public boolean claim(long id, String from, String node, long leaseUntil, long now) {
		Map<String, AttributeValue> values = new HashMap<>(
				Map.of(":node", s(node), ":lease", n(leaseUntil), ":now", n(now)));
		String holders = "attribute_not_exists(#node) OR #node = :node OR lease_until < :now";
		if (from != null) {
			values.put(":from", s(from));
			holders += " OR #node = :from";
		}
		return table.updateIf(UpdateItemRequest.builder()
			.key(key(item(id), "A"))
			.updateExpression("SET #node = :node, lease_until = :lease")
			.conditionExpression("attribute_exists(gsi1pk) AND (" + holders + ")")
			.expressionAttributeNames(Map.of("#node", "node"))
			.expressionAttributeValues(values));
	}

	@Override
	public int renew(String node, long leaseUntil) {
		return held(node,
				id -> table.updateIf(UpdateItemRequest.builder()
					.key(key(item(id), "A"))
					.updateExpression("SET lease_until = :lease")
					.conditionExpression("#node = :node")
					.expressionAttributeNames(Map.of("#node", "node"))
					.expressionAttributeValues(Map.of(":node", s(node), ":lease", n(leaseUntil)))));
	}

	@Override
	public int letGo(String node) {
		return held(node,
				id -> table.updateIf(UpdateItemRequest.builder()
					.key(key(item(id), "A"))
					.updateExpression("SET lease_until = :zero REMOVE #node")
					.conditionExpression("#node = :node")
					.expressionAttributeNames(Map.of("#node", "node"))
					.expressionAttributeValues(Map.of(":node", s(node), ":zero", n(0)))));
	}

	/** Only a turn under way (still in the index): a finished one stays finished. */
	@Override
	public boolean letGoOne(long id) {
		return table.updateIf(UpdateItemRequest.builder()
			.key(key(item(id), "A"))
			.updateExpression("SET lease_until = :zero REMOVE #node")
			.conditionExpression("attribute_exists(gsi1pk)")
			.expressionAttributeNames(Map.of("#node", "node"))
			.expressionAttributeValues(Map.of(":zero", n(0))));
	}

	/**
	 * Takes the turn out of the index and lets its item expire after
	 * {@code switchboard.channel.keep}, rather than deleting it: while it is there, a
	 * redelivery of its event after a crash knows the intake got as far as the turn.
	 */
	@Override
	public void delete(long id) {
		table.updateExisting(UpdateItemRequest.builder()
			.key(key(item(id), "A"))
			.updateExpression("SET done = :yes, expires_at = :expires REMOVE gsi1pk, gsi1sk, #node")
			.expressionAttributeNames(Map.of("#node", "node"))
			.expressionAttributeValues(Map.of(":yes", DynamoTable.bool(true), ":expires",
					n((System.currentTimeMillis() + keep.toMillis()) / 1000))));
	}

	@Override
	public int count() {
		int count = 0;
		Map<String, AttributeValue> start = null;
		do {
			QueryResponse response = table.query(all().select(Select.COUNT).exclusiveStartKey(start));
			count += response.count();
			start = next(response);
		}
		while (start != null);
		return count;
	}

	/** Turns live on many nodes at once: leases always have to run out. */
	@Override
	public boolean singleNode() {
		return false;
	}

	/** Applies {@code change} to each turn the index says {@code node} holds. */
	private int held(String node, java.util.function.Predicate<Long> change) {
		int[] changed = { 0 };
		each("#node = :node", Map.of(":node", s(node)), item -> {
			if (change.test(number(item, "id"))) {
				changed[0]++;
			}
		}, Integer.MAX_VALUE);
		return changed[0];
	}

	private void each(String filter, Map<String, AttributeValue> values, Consumer<Map<String, AttributeValue>> action,
			int limit) {
		Map<String, AttributeValue> start = null;
		int seen = 0;
		do {
			QueryRequest.Builder request = all().exclusiveStartKey(start);
			if (filter != null) {
				request.filterExpression(filter)
					.expressionAttributeValues(merged(values))
					.expressionAttributeNames(filter.contains("#node") ? Map.of("#node", "node") : null);
			}
			QueryResponse response = table.query(request);
			for (Map<String, AttributeValue> item : response.items()) {
				action.accept(item);
				seen++;
			}
			start = seen >= limit ? null : next(response);
		}
		while (start != null);
	}

	private static Map<String, AttributeValue> merged(Map<String, AttributeValue> values) {
		Map<String, AttributeValue> all = new HashMap<>(values);
		all.put(":all", s(ALL));
		return all;
	}

	private QueryRequest.Builder all() {
		return QueryRequest.builder()
			.indexName(DynamoTable.GSI1)
			.keyConditionExpression("gsi1pk = :all")
			.expressionAttributeValues(Map.of(":all", s(ALL)));
	}

	private static Map<String, AttributeValue> next(QueryResponse response) {
		return response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey()
				: null;
	}

	static String item(long id) {
		return "TURN#" + id;
	}

	private static Row map(Map<String, AttributeValue> item) {
		return new Row(number(item, "id"), number(item, "answer_id"), number(item, "delivery_id"),
				string(item, "platform"), string(item, "lane"), number(item, "user_id"), string(item, "provider"),
				number(item, "attempts").intValue());
	}

}
