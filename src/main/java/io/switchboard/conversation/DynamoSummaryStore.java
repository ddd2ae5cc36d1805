package io.switchboard.conversation;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Repository;

import static io.switchboard.storage.DynamoTable.key;
import static io.switchboard.storage.DynamoTable.n;
import static io.switchboard.storage.DynamoTable.number;
import static io.switchboard.storage.DynamoTable.s;
import static io.switchboard.storage.DynamoTable.string;

/**
 * Topic summaries in DynamoDB: item {@code S#session} / {@code Y#topic}, in the session's
 * partition (so removing the session removes them, and a turn reads its summary with one
 * consistent GetItem). A save is a put on the condition that it reaches further than the
 * one there, as SQL's upsert is.
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoSummaryStore implements SummaryStorage {

	private final DynamoTable table;

	DynamoSummaryStore(DynamoTable table) {
		this.table = table;
	}

	@Override
	public Optional<TopicSummary> find(SessionId session, int topic) {
		Map<String, AttributeValue> item = table.get(key(DynamoItems.session(session), sortKey(topic)));
		if (item.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(new TopicSummary(session, topic, number(item, "from_seq").intValue(),
				number(item, "through_seq").intValue(), string(item, "content"), number(item, "token_count").intValue(),
				string(item, "model"), number(item, "steps").intValue(),
				Instant.ofEpochMilli(number(item, "updated_at"))));
	}

	@Override
	public boolean save(SessionId session, int topic, int fromSeq, int throughSeq, String text, int tokenCount,
			String model, int steps, Instant now) {
		Map<String, AttributeValue> item = new HashMap<>(key(DynamoItems.session(session), sortKey(topic)));
		item.put("from_seq", n(fromSeq));
		item.put("through_seq", n(throughSeq));
		item.put("content", s(text));
		item.put("token_count", n(tokenCount));
		if (model != null) {
			item.put("model", s(model));
		}
		item.put("steps", n(steps));
		item.put("updated_at", n(now.toEpochMilli()));
		return table.putIf(PutItemRequest.builder()
			.item(item)
			.conditionExpression("attribute_not_exists(pk) OR through_seq < :through")
			.expressionAttributeValues(Map.of(":through", n(throughSeq))));
	}

	private static String sortKey(int topic) {
		return "Y#%06d".formatted(topic);
	}

}
