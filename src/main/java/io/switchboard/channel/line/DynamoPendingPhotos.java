package io.switchboard.channel.line;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.switchboard.conversation.MessagePart;
import io.switchboard.media.MediaRef;
import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import static io.switchboard.storage.DynamoTable.key;
import static io.switchboard.storage.DynamoTable.n;
import static io.switchboard.storage.DynamoTable.number;
import static io.switchboard.storage.DynamoTable.s;
import static io.switchboard.storage.DynamoTable.string;

/**
 * Waiting photos in DynamoDB: a user's photos in a chat share partition
 * {@code LP#user#chat}, sorted by arrival ({@code received_at#message}), so "the newest
 * four" is one query backwards with a limit; item {@code LPM#message} names its photo for
 * LINE's unsend event, and makes a redelivered photo kept once (the name is written
 * first, with {@code attribute_not_exists}). Both expire by DynamoDB's time to live once
 * the photo has waited {@code pending-photo-ttl}; until then the query leaves out what is
 * too old.
 */
@Component
@ConditionalOnLineChannel
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoPendingPhotos implements PendingPhotos {

	private final DynamoTable table;

	private final LineProperties properties;

	private final Clock clock;

	DynamoPendingPhotos(DynamoTable table, LineProperties properties, Clock clock) {
		this.table = table;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public void keep(String lineUserId, String chatId, String messageId, MediaRef photo) {
		long now = clock.millis();
		long expires = (now + properties.pendingPhotoTtl().toMillis()) / 1000 + 1;
		String pk = chat(lineUserId, chatId);
		String sk = "%015d#%s".formatted(now, messageId);
		Map<String, AttributeValue> item = new HashMap<>(key(pk, sk));
		item.put("message_id", s(messageId));
		item.put("sha256", s(photo.sha256()));
		item.put("mime_type", s(photo.mimeType()));
		item.put("width", n(photo.width()));
		item.put("height", n(photo.height()));
		item.put("received_at", n(now));
		item.put("expires_at", n(expires));
		Map<String, AttributeValue> name = new HashMap<>(key(message(messageId), "A"));
		name.put("photo_pk", s(pk));
		name.put("photo_sk", s(sk));
		name.put("expires_at", n(expires));
		// the name first: a redelivered message finds it and keeps its photo once, under
		// the first delivery's key (also when the first died before its photo was put)
		if (!table.putIf(PutItemRequest.builder().item(name).conditionExpression("attribute_not_exists(pk)"))) {
			Map<String, AttributeValue> first = table.get(key(message(messageId), "A"));
			if (first.isEmpty()) {
				return; // taken back meanwhile
			}
			item.put(DynamoTable.PK, first.get("photo_pk"));
			item.put(DynamoTable.SK, first.get("photo_sk"));
		}
		table.put(PutItemRequest.builder().item(item));
	}

	@Override
	public List<MessagePart.Image> waiting(String lineUserId, String chatId) {
		long since = clock.millis() - properties.pendingPhotoTtl().toMillis();
		QueryResponse response = table.query(QueryRequest.builder()
			.keyConditionExpression("pk = :pk AND sk >= :since")
			.expressionAttributeValues(
					Map.of(":pk", s(chat(lineUserId, chatId)), ":since", s("%015d".formatted(Math.max(0, since)))))
			.scanIndexForward(false)
			.consistentRead(true)
			.limit(MAX_PER_QUESTION));
		List<MessagePart.Image> newestFirst = new ArrayList<>();
		for (Map<String, AttributeValue> item : response.items()) {
			newestFirst.add(new MessagePart.Image(string(item, "sha256"), string(item, "mime_type"),
					number(item, "width").intValue(), number(item, "height").intValue()));
		}
		return newestFirst.reversed();
	}

	@Override
	public void clear(String lineUserId, String chatId) {
		List<Map<String, AttributeValue>> keys = new ArrayList<>();
		Map<String, AttributeValue> start = null;
		do {
			QueryResponse response = table.query(QueryRequest.builder()
				.keyConditionExpression("pk = :pk")
				.expressionAttributeValues(Map.of(":pk", s(chat(lineUserId, chatId))))
				.consistentRead(true)
				.exclusiveStartKey(start));
			for (Map<String, AttributeValue> item : response.items()) {
				keys.add(key(string(item, "pk"), string(item, "sk")));
				keys.add(key(message(string(item, "message_id")), "A"));
			}
			start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
					? response.lastEvaluatedKey() : null;
		}
		while (start != null);
		table.deleteAll(keys);
	}

	@Override
	public boolean forget(String messageId) {
		Map<String, AttributeValue> name = table.get(key(message(messageId), "A"));
		if (name.isEmpty()) {
			return false;
		}
		Map<String, AttributeValue> photo = table.get(key(string(name, "photo_pk"), string(name, "photo_sk")));
		table.deleteAll(List.of(key(string(name, "photo_pk"), string(name, "photo_sk")), key(message(messageId), "A")));
		return !photo.isEmpty();
	}

	/** Photos expire by DynamoDB's time to live ({@code expires_at}). */
	@Override
	public void forgetOld(long before) {
	}

	private static String chat(String lineUserId, String chatId) {
		return "LP#" + lineUserId + "#" + chatId;
	}

	private static String message(String messageId) {
		return "LPM#" + messageId;
	}

}
