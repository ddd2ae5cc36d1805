package io.switchboard.conversation;

import java.util.Map;

import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Repository;

import static io.switchboard.storage.DynamoTable.key;
import static io.switchboard.storage.DynamoTable.n;

/**
 * Suspensions in DynamoDB: item {@code U#user} / {@code SUSPENDED}, in the user's
 * partition; there while the user is suspended. Read consistently on every check (the
 * gateway caches who may call and forgets on {@link UserSuspensionChanged}).
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoSuspensionStore implements SuspensionStorage {

	private static final String SUSPENDED = "SUSPENDED";

	private final DynamoTable table;

	DynamoSuspensionStore(DynamoTable table) {
		this.table = table;
	}

	@Override
	public boolean isSuspended(UserId user) {
		return !table.get(key(DynamoItems.user(user), SUSPENDED)).isEmpty();
	}

	@Override
	public void add(UserId user, UserId by, long at) {
		Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = new java.util.HashMap<>(
				key(DynamoItems.user(user), SUSPENDED));
		item.put("suspended_by", n(by.value()));
		item.put("suspended_at", n(at));
		table.putIf(PutItemRequest.builder().item(item).conditionExpression("attribute_not_exists(pk)"));
	}

	@Override
	public void remove(UserId user) {
		table.delete(DeleteItemRequest.builder().key(key(DynamoItems.user(user), SUSPENDED)));
	}

}
