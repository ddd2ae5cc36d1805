package io.switchboard.channel.serverless;

import java.time.Duration;
import java.util.Map;

import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import static io.switchboard.storage.DynamoTable.n;
import static io.switchboard.storage.DynamoTable.s;

/**
 * The events the webhook function keeps before it answers, as their platform sent them:
 * one item {@code K#platform#key} each, written once (a redelivery finds it there and
 * changes nothing), expiring by DynamoDB's time to live after
 * {@code switchboard.channel.keep}. The queue message the worker takes the event in from
 * carries the same event; the item is the record that it arrived, whatever became of the
 * message (an operator reads it beside a dead letter).
 */
final class KeptEvents {

	private final DynamoTable table;

	private final Duration keep;

	KeptEvents(DynamoTable table, Duration keep) {
		this.table = table;
		this.keep = keep;
	}

	/** Keeps an event; false when it was kept before (a redelivery). */
	boolean keep(String platform, String key, String event, long now) {
		Map<String, AttributeValue> item = new java.util.HashMap<>(DynamoTable.key(item(platform, key), "A"));
		item.put("event", s(event));
		item.put("received_at", n(now));
		item.put("expires_at", n((now + keep.toMillis()) / 1000));
		return table.putIf(PutItemRequest.builder().item(item).conditionExpression("attribute_not_exists(pk)"));
	}

	/** The event kept under a key, or null. */
	String find(String platform, String key) {
		return DynamoTable.string(table.get(DynamoTable.key(item(platform, key), "A")), "event");
	}

	static String item(String platform, String key) {
		return "K#" + platform + "#" + key;
	}

}
