package io.switchboard.conversation;

import java.time.Instant;
import java.util.Map;

import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Repository;

import static io.switchboard.storage.DynamoTable.key;
import static io.switchboard.storage.DynamoTable.n;
import static io.switchboard.storage.DynamoTable.s;

/**
 * Confirmations in DynamoDB: item {@code (U#user, C#action)} beside the user's own item,
 * put over any earlier one and taken by a conditional delete (matching argument, not
 * expired), so a confirmation is used once. DynamoDB's time to live removes forgotten
 * ones ({@code expires_at}, in seconds).
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoConfirmationStore implements ConfirmationStorage {

	private final DynamoTable table;

	DynamoConfirmationStore(DynamoTable table) {
		this.table = table;
	}

	@Override
	public void put(UserId user, String action, String argument, Instant expiresAt) {
		table.put(PutItemRequest.builder()
			.item(Map.of("pk", s(DynamoItems.user(user)), "sk", s("C#" + action), "argument", s(argument), "expires_ms",
					n(expiresAt.toEpochMilli()), "expires_at", n(expiresAt.getEpochSecond() + 1))));
	}

	@Override
	public boolean take(UserId user, String action, String argument, Instant now) {
		try {
			table.delete(DeleteItemRequest.builder()
				.key(key(DynamoItems.user(user), "C#" + action))
				.conditionExpression("argument = :argument AND expires_ms >= :now")
				.expressionAttributeValues(Map.of(":argument", s(argument), ":now", n(now.toEpochMilli()))));
			return true;
		}
		catch (ConditionalCheckFailedException noMatch) {
			return false;
		}
	}

	@Override
	public java.util.SortedMap<String, String> pending(UserId user, String actionPrefix, Instant now) {
		java.util.SortedMap<String, String> found = new java.util.TreeMap<>();
		table
			.query(software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
				.keyConditionExpression("pk = :p AND begins_with(sk, :c)")
				.expressionAttributeValues(Map.of(":p", s(DynamoItems.user(user)), ":c", s("C#" + actionPrefix)))
				.consistentRead(true))
			.items()
			.forEach(item -> {
				// time to live removes expired items only eventually
				if (Long.parseLong(item.get("expires_ms").n()) >= now.toEpochMilli()) {
					found.put(item.get("sk").s().substring(2), item.get("argument").s());
				}
			});
		return found;
	}

	@Override
	public void cancel(UserId user, String action) {
		table.delete(DeleteItemRequest.builder().key(key(DynamoItems.user(user), "C#" + action)));
	}

}
