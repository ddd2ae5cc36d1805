package io.switchboard.channel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Repository;

import static io.switchboard.storage.DynamoTable.key;
import static io.switchboard.storage.DynamoTable.n;
import static io.switchboard.storage.DynamoTable.number;
import static io.switchboard.storage.DynamoTable.s;
import static io.switchboard.storage.DynamoTable.string;

/**
 * Deliveries in DynamoDB: item {@code D#id} holds one, and item {@code DK#platform#key}
 * names it by its de-duplication key. The key item is written first, with
 * {@code attribute_not_exists}, so a key is written once, and the delivery right after it
 * (a key whose delivery never came, its writer having died between the two, is taken over
 * after a while). Due deliveries are listed by index {@code gsi1} under
 * {@code DUE#platform} in id order: only a pending delivery has those index keys (a held,
 * sent or failed one has none), so the sweep reads no more than what waits to be sent.
 * Every change is a conditional update of the one item, as the SQL adapter's statements
 * are; finished deliveries expire by DynamoDB's time to live
 * {@code switchboard.channel.keep} after their last change.
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoDeliveryStore implements DeliveryStore {

	/**
	 * How long a key item may name a delivery not yet written before it counts as left
	 * behind by a writer that died between its two puts.
	 */
	private static final Duration ORPHANED_KEY = Duration.ofSeconds(30);

	private static final Map<String, String> NAMES = Map.of("#state", "state", "#version", "version");

	private final DynamoTable table;

	private final Duration keep;

	DynamoDeliveryStore(DynamoTable table, ChannelProperties properties) {
		this.table = table;
		this.keep = properties.keep();
	}

	@Override
	public Optional<Long> insert(String platform, String key, String lane, String address, String content, String state,
			String claimedBy, Long claimedUntil, long now) {
		long id = table.nextId("delivery");
		if (!claimKey(platform, key, id, now)) {
			return Optional.empty();
		}
		Map<String, AttributeValue> item = new HashMap<>(key(item(id), "A"));
		item.put("id", n(id));
		item.put("platform", s(platform));
		item.put("dedup_key", s(key));
		item.put("lane", s(lane));
		item.put("address", s(address));
		item.put("content", s(content));
		item.put("state", s(state));
		item.put("version", n(0));
		item.put("attempts", n(0));
		item.put("next_at", n(now));
		if (claimedBy != null) {
			item.put("claimed_by", s(claimedBy));
			item.put("claimed_until", n(claimedUntil));
		}
		item.put("created_at", n(now));
		item.put("updated_at", n(now));
		if (PENDING.equals(state)) {
			item.put("gsi1pk", s(due(platform)));
			item.put("gsi1sk", s(padded(id)));
		}
		table.put(PutItemRequest.builder().item(item));
		return Optional.of(id);
	}

	@Override
	public long upsertChanged(String platform, String key, String lane, String address, String content, boolean urgent,
			long paceMillis, long now) {
		while (true) {
			Optional<Long> existing = findId(platform, key);
			if (existing.isEmpty()) {
				Optional<Long> inserted = insert(platform, key, lane, address, content, PENDING, null, null, now);
				if (inserted.isPresent()) {
					return inserted.get();
				}
				continue; // written by another a moment ago: change theirs
			}
			long id = existing.get();
			Optional<Row> row = find(id);
			if (row.isEmpty()) {
				continue;
			}
			Long sentAt = row.get().sentAt();
			long nextAt = urgent || sentAt == null || sentAt + paceMillis <= now ? now : sentAt + paceMillis;
			Map<String, AttributeValue> values = new HashMap<>();
			values.put(":pending", s(PENDING));
			values.put(":one", n(1));
			values.put(":zero", n(0));
			values.put(":next", n(nextAt));
			values.put(":now", n(now));
			values.put(":due", s(due(platform)));
			values.put(":sk", s(padded(id)));
			values.put(":seen", n(row.get().version()));
			// only on the version read: a change that raced this one reads again
			if (table.updateIf(UpdateItemRequest.builder()
				.key(key(item(id), "A"))
				.updateExpression(
						"SET #state = :pending, #version = #version + :one, attempts = :zero, next_at = :next,"
								+ " updated_at = :now, gsi1pk = :due, gsi1sk = :sk REMOVE last_error, expires_at")
				.conditionExpression("#version = :seen")
				.expressionAttributeNames(NAMES)
				.expressionAttributeValues(values))) {
				return id;
			}
		}
	}

	@Override
	public Optional<Long> findId(String platform, String key) {
		return Optional.ofNullable(number(table.get(key(keyOf(platform, key), "A")), "delivery_id"))
			.filter(id -> !table.get(key(item(id), "A")).isEmpty());
	}

	@Override
	public Optional<Row> find(long id) {
		Map<String, AttributeValue> item = table.get(key(item(id), "A"));
		return item.isEmpty() ? Optional.empty() : Optional.of(map(item));
	}

	@Override
	public Optional<String> release(long id, String claimedBy, Long claimedUntil, long now) {
		Optional<Row> row = find(id);
		if (row.isEmpty() || !HELD.equals(row.get().state())) {
			return Optional.empty();
		}
		return table.updateIf(releasing(id, row.get().platform(), claimedBy, claimedUntil, now, false))
				? Optional.of(row.get().lane()) : Optional.empty();
	}

	/**
	 * One conditional update, on the platform too, which returns the lane it had; one
	 * that was not held (or, never expected, is another platform's) goes the long way.
	 */
	@Override
	public Optional<String> release(long id, String platform, String claimedBy, Long claimedUntil, long now) {
		try {
			return Optional.of(string(table
				.update(releasing(id, platform, claimedBy, claimedUntil, now, true).returnValues(ReturnValue.ALL_OLD))
				.attributes(), "lane"));
		}
		catch (ConditionalCheckFailedException notHeld) {
			return release(id, claimedBy, claimedUntil, now);
		}
	}

	/**
	 * The update that makes a held delivery due, on condition that it is held (and the
	 * platform's, when {@code onPlatform}).
	 */
	private static UpdateItemRequest.Builder releasing(long id, String platform, String claimedBy, Long claimedUntil,
			long now, boolean onPlatform) {
		Map<String, AttributeValue> values = new HashMap<>();
		Map<String, String> names = new HashMap<>(Map.of("#state", "state"));
		String condition = "#state = :held";
		if (onPlatform) {
			names.put("#platform", "platform");
			values.put(":platform", s(platform));
			condition += " AND #platform = :platform";
		}
		values.put(":held", s(HELD));
		values.put(":pending", s(PENDING));
		values.put(":now", n(now));
		values.put(":due", s(due(platform)));
		values.put(":sk", s(padded(id)));
		String set = "SET #state = :pending, next_at = :now, updated_at = :now, gsi1pk = :due, gsi1sk = :sk";
		if (claimedBy != null) {
			values.put(":by", s(claimedBy));
			values.put(":until", n(claimedUntil));
			set += ", claimed_by = :by, claimed_until = :until";
		}
		else {
			set += " REMOVE claimed_by, claimed_until";
		}
		return UpdateItemRequest.builder()
			.key(key(item(id), "A"))
			.updateExpression(set)
			.conditionExpression(condition)
			.expressionAttributeNames(names)
			.expressionAttributeValues(values);
	}

	@Override
	public void saveRefs(long id, String refs, long now) {
		table.updateExisting(UpdateItemRequest.builder()
			.key(key(item(id), "A"))
			.updateExpression("SET refs = :refs, updated_at = :now")
			.expressionAttributeValues(Map.of(":refs", s(refs), ":now", n(now))));
	}

	@Override
	public boolean claim(long id, String node, long until, long now) {
		return table.updateIf(UpdateItemRequest.builder()
			.key(key(item(id), "A"))
			.updateExpression("SET claimed_by = :node, claimed_until = :until")
			.conditionExpression("#state = :pending AND next_at <= :now"
					+ " AND (attribute_not_exists(claimed_until) OR claimed_until <= :now)")
			.expressionAttributeNames(Map.of("#state", "state"))
			.expressionAttributeValues(
					Map.of(":node", s(node), ":until", n(until), ":now", n(now), ":pending", s(PENDING))));
	}

	/**
	 * Two conditional updates where SQL has one statement with a {@code CASE}: "sent" on
	 * the version the send began with; otherwise (a change came in during the send) due
	 * again at {@code againAt}.
	 */
	@Override
	public void sent(long id, int version, String refs, String shown, long againAt, long now) {
		Map<String, AttributeValue> values = new HashMap<>();
		values.put(":sent", s(SENT));
		values.put(":seen", n(version));
		values.put(":zero", n(0));
		values.put(":now", n(now));
		values.put(":expires", n(expiry(now)));
		StringBuilder set = new StringBuilder("SET attempts = :zero, sent_at = :now, updated_at = :now");
		List<String> remove = new ArrayList<>(List.of("last_error", "claimed_by", "claimed_until"));
		if (refs != null) {
			values.put(":refs", s(refs));
			set.append(", refs = :refs");
		}
		else {
			remove.add("refs");
		}
		if (shown != null) {
			values.put(":shown", s(shown));
			set.append(", shown = :shown");
		}
		else {
			remove.add("shown");
		}
		List<String> finished = new ArrayList<>(remove);
		finished.addAll(List.of("gsi1pk", "gsi1sk"));
		if (table.updateIf(UpdateItemRequest.builder()
			.key(key(item(id), "A"))
			.updateExpression(set + ", #state = :sent, expires_at = :expires REMOVE " + String.join(", ", finished))
			.conditionExpression("#version = :seen")
			.expressionAttributeNames(NAMES)
			.expressionAttributeValues(values))) {
			return;
		}
		values.remove(":sent");
		values.remove(":seen");
		values.remove(":expires");
		values.put(":again", n(againAt));
		table.updateExisting(UpdateItemRequest.builder()
			.key(key(item(id), "A"))
			.updateExpression(set + ", next_at = :again REMOVE " + String.join(", ", remove))
			.expressionAttributeValues(values));
	}

	@Override
	public void retry(long id, int attempts, long nextAt, String error, long now) {
		Map<String, AttributeValue> values = new HashMap<>(
				Map.of(":attempts", n(attempts), ":next", n(nextAt), ":now", n(now)));
		String set = "SET attempts = :attempts, next_at = :next, updated_at = :now";
		if (error != null) {
			values.put(":error", s(DeliveryStore.abbreviate(error)));
			set += ", last_error = :error";
		}
		table.updateExisting(UpdateItemRequest.builder()
			.key(key(item(id), "A"))
			.updateExpression(set + " REMOVE claimed_by, claimed_until" + (error == null ? ", last_error" : ""))
			.expressionAttributeValues(values));
	}

	@Override
	public void fail(long id, String error, long now) {
		finish(id, FAILED, error, now);
	}

	@Override
	public void drop(long id, long now) {
		finish(id, SENT, null, now);
	}

	private void finish(long id, String state, String error, long now) {
		Map<String, AttributeValue> values = new HashMap<>(
				Map.of(":state", s(state), ":now", n(now), ":expires", n(expiry(now))));
		String set = "SET #state = :state, updated_at = :now, expires_at = :expires";
		if (error != null) {
			values.put(":error", s(DeliveryStore.abbreviate(error)));
			set += ", last_error = :error";
		}
		table.updateExisting(UpdateItemRequest.builder()
			.key(key(item(id), "A"))
			.updateExpression(set + " REMOVE claimed_by, claimed_until, gsi1pk, gsi1sk")
			.expressionAttributeNames(Map.of("#state", "state"))
			.expressionAttributeValues(values));
	}

	/**
	 * One query of the index per platform (what is pending there, in id order, the due
	 * and unclaimed ones kept by a filter), merged oldest first.
	 */
	@Override
	public List<Due> due(Collection<String> platforms, long now, int limit) {
		List<Due> found = new ArrayList<>();
		for (String platform : platforms) {
			Map<String, AttributeValue> start = null;
			int taken = 0;
			do {
				QueryResponse response = table.query(QueryRequest.builder()
					.indexName(DynamoTable.GSI1)
					.keyConditionExpression("gsi1pk = :due")
					.filterExpression(
							"next_at <= :now AND (attribute_not_exists(claimed_until) OR claimed_until <= :now)")
					.expressionAttributeValues(Map.of(":due", s(due(platform)), ":now", n(now)))
					.exclusiveStartKey(start));
				for (Map<String, AttributeValue> item : response.items()) {
					if (taken++ < limit) {
						found.add(new Due(number(item, "id"), string(item, "lane")));
					}
				}
				start = taken >= limit || !response.hasLastEvaluatedKey() || response.lastEvaluatedKey().isEmpty()
						? null : response.lastEvaluatedKey();
			}
			while (start != null);
		}
		return found.stream().sorted(Comparator.comparingLong(Due::id)).limit(limit).toList();
	}

	/** Finished deliveries expire by DynamoDB's time to live ({@code expires_at}). */
	@Override
	public int forget(long before) {
		return 0;
	}

	/**
	 * Writes the key item naming delivery {@code id}: false when the key names another
	 * delivery. A key item whose delivery never followed (its writer died between the two
	 * puts) is taken over once it is older than a moment.
	 */
	private boolean claimKey(String platform, String key, long id, long now) {
		Map<String, AttributeValue> item = new HashMap<>(key(keyOf(platform, key), "A"));
		item.put("delivery_id", n(id));
		item.put("written_at", n(System.currentTimeMillis()));
		// the key is forgotten with the delivery, as SQL forgets it with its row
		item.put("expires_at", n(expiry(now)));
		if (table.putIf(PutItemRequest.builder().item(item).conditionExpression("attribute_not_exists(pk)"))) {
			return true;
		}
		Map<String, AttributeValue> existing = table.get(key(keyOf(platform, key), "A"));
		Long theirs = number(existing, "delivery_id");
		if (theirs == null || !table.get(key(item(theirs), "A")).isEmpty()) {
			return false;
		}
		Long writtenAt = number(existing, "written_at");
		if (writtenAt != null && writtenAt > System.currentTimeMillis() - ORPHANED_KEY.toMillis()) {
			return false; // its writer is putting the delivery right now
		}
		return table.putIf(PutItemRequest.builder()
			.item(item)
			.conditionExpression("delivery_id = :theirs")
			.expressionAttributeValues(Map.of(":theirs", n(theirs))));
	}

	private long expiry(long now) {
		return (now + keep.toMillis()) / 1000;
	}

	private static String item(long id) {
		return "D#" + id;
	}

	private static String keyOf(String platform, String key) {
		return "DK#" + platform + "#" + key;
	}

	private static String due(String platform) {
		return "DUE#" + platform;
	}

	private static String padded(long id) {
		return "%012d".formatted(id);
	}

	private static Row map(Map<String, AttributeValue> item) {
		Long claimedUntil = number(item, "claimed_until");
		return new Row(number(item, "id"), string(item, "platform"), string(item, "dedup_key"), string(item, "lane"),
				string(item, "address"), string(item, "content"), string(item, "state"),
				number(item, "version").intValue(), string(item, "refs"), string(item, "shown"),
				number(item, "attempts").intValue(), number(item, "next_at"), number(item, "sent_at"),
				string(item, "claimed_by"), claimedUntil == null ? 0 : claimedUntil);
	}

}
