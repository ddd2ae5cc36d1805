package io.switchboard.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The one DynamoDB table of the chat core (its design: docs/dynamodb.md). Every call goes
 * through here, names the table, asks for the capacity it consumed and adds it to the
 * {@link CapacityMeter}. Calls block; they are made on virtual threads.
 */
public final class DynamoTable {

	/** The key of every item: a partition key and a sort key, both strings. */
	public static final String PK = "pk";

	public static final String SK = "sk";

	/**
	 * The three global secondary indexes, each with its own string keys: {@code gsi1}
	 * (owner's sessions; all users), {@code gsi2} (public sessions), {@code gsi3} (who
	 * has a session as their current one).
	 */
	public static final String GSI1 = "gsi1";

	public static final String GSI2 = "gsi2";

	public static final String GSI3 = "gsi3";

	private final DynamoDbClient client;

	private final String name;

	private final CapacityMeter meter;

	DynamoTable(DynamoDbClient client, String name, CapacityMeter meter) {
		this.client = client;
		this.name = name;
		this.meter = meter;
	}

	/**
	 * The table for a process that has no storage beans (the serverless webhook
	 * function): the same client and settings as {@code DynamoConfiguration} makes; the
	 * table must exist. Closing the client is the caller's.
	 */
	public static DynamoTable open(DynamoDbClient client, StorageProperties.Dynamo dynamo, MeterRegistry registry) {
		return new DynamoTable(client, dynamo.table(), new CapacityMeter(registry));
	}

	/**
	 * A client for the table's region and endpoint (the JDK's HTTP client: quick to
	 * start).
	 */
	public static DynamoDbClient client(StorageProperties.Dynamo dynamo) {
		DynamoDbClientBuilder builder = DynamoDbClient.builder()
			.httpClient(UrlConnectionHttpClient.create())
			.region(Region.of(dynamo.region()));
		if (dynamo.endpoint() != null) {
			builder.endpointOverride(dynamo.endpoint());
		}
		return builder.build();
	}

	public String name() {
		return name;
	}

	public CapacityMeter meter() {
		return meter;
	}

	/** An item by key, read consistently; an empty map when there is none. */
	public Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
		GetItemResponse response = client.getItem(GetItemRequest.builder()
			.tableName(name)
			.key(key)
			.consistentRead(true)
			.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
			.build());
		meter.reads(response.consumedCapacity());
		return response.hasItem() ? response.item() : Map.of();
	}

	/**
	 * Items by key, read consistently in one call (DynamoDB's {@code BatchGetItem}, at
	 * most 100 keys), again for keys it left unread: one round trip where {@link #get}
	 * one after another would take one each. The items come in the order of the keys, an
	 * empty map for a key with none.
	 */
	public List<Map<String, AttributeValue>> getAll(List<Map<String, AttributeValue>> keys) {
		if (keys.size() > 100) {
			throw new IllegalArgumentException("at most 100 keys a batch, not " + keys.size());
		}
		// a batch must not name an item twice
		Map<List<String>, Map<String, AttributeValue>> found = new HashMap<>();
		List<Map<String, AttributeValue>> distinct = new ArrayList<>();
		for (Map<String, AttributeValue> key : keys) {
			if (found.putIfAbsent(identity(key), Map.of()) == null) {
				distinct.add(key);
			}
		}
		Map<String, KeysAndAttributes> pending = distinct.isEmpty() ? Map.of()
				: Map.of(name, KeysAndAttributes.builder().keys(distinct).consistentRead(true).build());
		for (int attempt = 0; !pending.isEmpty(); attempt++) {
			if (attempt == 10) {
				throw new IllegalStateException("DynamoDB left keys of " + name + " unread ten times");
			}
			Map<String, KeysAndAttributes> request = pending;
			BatchGetItemResponse response = client.batchGetItem(
					builder -> builder.requestItems(request).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
			meter.reads(response.consumedCapacity());
			response.responses().getOrDefault(name, List.of()).forEach(item -> found.put(identity(item), item));
			pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
			if (!pending.isEmpty()) {
				// keys left unread mean the table is throttling: back off before asking
				// again, as DynamoDB asks (10 ms, doubling)
				backOff(attempt);
			}
		}
		List<Map<String, AttributeValue>> items = new ArrayList<>(keys.size());
		keys.forEach(key -> items.add(found.get(identity(key))));
		return items;
	}

	private static void backOff(int attempt) {
		try {
			Thread.sleep(10L << Math.min(attempt, 6));
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while DynamoDB was throttling", interrupted);
		}
	}

	/** What tells an item from the others: its key's two strings. */
	private static List<String> identity(Map<String, AttributeValue> item) {
		return List.of(item.get(PK).s(), item.get(SK).s());
	}

	public void put(PutItemRequest.Builder request) {
		meter
			.writes(client.putItem(request.tableName(name).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build())
				.consumedCapacity());
	}

	public UpdateItemResponse update(UpdateItemRequest.Builder request) {
		UpdateItemResponse response = client
			.updateItem(request.tableName(name).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
		meter.writes(response.consumedCapacity());
		return response;
	}

	/**
	 * A conditional update: false, and nothing changed, when its condition does not hold
	 * (the item is gone, or another writer changed it first).
	 */
	public boolean updateIf(UpdateItemRequest.Builder request) {
		try {
			update(request);
			return true;
		}
		catch (ConditionalCheckFailedException refused) {
			return false;
		}
	}

	/**
	 * An update of an item that exists: one that is gone is left alone (as an SQL
	 * {@code UPDATE} that matches no row); false when it was gone.
	 */
	public boolean updateExisting(UpdateItemRequest.Builder request) {
		return updateIf(request.conditionExpression("attribute_exists(pk)"));
	}

	/**
	 * A conditional put: false, and nothing written, when its condition does not hold
	 * (typically {@code attribute_not_exists(pk)}: the item exists).
	 */
	public boolean putIf(PutItemRequest.Builder request) {
		try {
			put(request);
			return true;
		}
		catch (ConditionalCheckFailedException refused) {
			return false;
		}
	}

	/**
	 * The next number of a kind (users, sessions, deliveries), by one atomic update of
	 * its counter item {@code SEQ#kind}: concurrent writers on any node never get the
	 * same one.
	 */
	public long nextId(String kind) {
		return Long.parseLong(update(UpdateItemRequest.builder()
			.key(key("SEQ#" + kind, "A"))
			.updateExpression("ADD next_id :one")
			.expressionAttributeValues(Map.of(":one", n(1)))
			.returnValues(ReturnValue.UPDATED_NEW)).attributes().get("next_id").n());
	}

	/**
	 * A conditional delete: false, and nothing deleted, when its condition does not hold.
	 */
	public boolean deleteIf(DeleteItemRequest.Builder request) {
		try {
			delete(request);
			return true;
		}
		catch (ConditionalCheckFailedException refused) {
			return false;
		}
	}

	public void delete(DeleteItemRequest.Builder request) {
		meter.writes(
				client.deleteItem(request.tableName(name).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build())
					.consumedCapacity());
	}

	public QueryResponse query(QueryRequest.Builder request) {
		QueryResponse response = client
			.query(request.tableName(name).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
		meter.reads(response.consumedCapacity());
		return response;
	}

	/**
	 * Writes all or nothing. Each item must name the table ({@link #name()}).
	 * @throws software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException
	 * when a condition failed (its reasons say which)
	 */
	public void transact(List<TransactWriteItem> items) {
		meter.writes(client
			.transactWriteItems(
					request -> request.transactItems(items).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
			.consumedCapacity());
	}

	/**
	 * Deletes items by key, 25 a call (DynamoDB's batch limit), retrying what it left.
	 */
	public void deleteAll(List<Map<String, AttributeValue>> keys) {
		for (int from = 0; from < keys.size(); from += 25) {
			List<WriteRequest> batch = new ArrayList<>();
			for (Map<String, AttributeValue> key : keys.subList(from, Math.min(keys.size(), from + 25))) {
				batch.add(WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build());
			}
			Map<String, List<WriteRequest>> pending = Map.of(name, batch);
			for (int attempt = 0; !pending.isEmpty() && attempt < 10; attempt++) {
				Map<String, List<WriteRequest>> request = pending;
				BatchWriteItemResponse response = client.batchWriteItem(
						builder -> builder.requestItems(request).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
				meter.writes(response.consumedCapacity());
				pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
				if (!pending.isEmpty()) {
					backOff(attempt);
				}
			}
		}
	}

	/** The key of an item. */
	public static Map<String, AttributeValue> key(String pk, String sk) {
		return Map.of(PK, s(pk), SK, s(sk));
	}

	public static AttributeValue s(String value) {
		return AttributeValue.fromS(value);
	}

	public static AttributeValue n(long value) {
		return AttributeValue.fromN(Long.toString(value));
	}

	public static AttributeValue bool(boolean value) {
		return AttributeValue.fromBool(value);
	}

	/** A string attribute, or {@code null} when the item has none. */
	public static String string(Map<String, AttributeValue> item, String name) {
		AttributeValue value = item.get(name);
		return value == null || value.s() == null ? null : value.s();
	}

	/** A number attribute, or {@code null} when the item has none. */
	public static Long number(Map<String, AttributeValue> item, String name) {
		AttributeValue value = item.get(name);
		return value == null || value.n() == null ? null : Long.parseLong(value.n());
	}

	public static boolean flag(Map<String, AttributeValue> item, String name) {
		AttributeValue value = item.get(name);
		return value != null && Boolean.TRUE.equals(value.bool());
	}

}
