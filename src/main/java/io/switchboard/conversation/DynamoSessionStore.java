package io.switchboard.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Repository;

import static io.switchboard.storage.DynamoTable.bool;
import static io.switchboard.storage.DynamoTable.flag;
import static io.switchboard.storage.DynamoTable.key;
import static io.switchboard.storage.DynamoTable.n;
import static io.switchboard.storage.DynamoTable.number;
import static io.switchboard.storage.DynamoTable.s;
import static io.switchboard.storage.DynamoTable.string;

/**
 * Sessions in DynamoDB: a session is item {@code (S#id, A)}, at the head of the partition
 * that holds its messages. "My sessions, newest first" is index {@code gsi1} under
 * {@code O#owner}, public sessions index {@code gsi2} under {@code PUBLIC}, both sorted
 * by the last activity; a thread's session is found through item
 * {@code T#platform#space#thread}.
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoSessionStore implements SessionStorage {

	private static final String PUBLIC = "PUBLIC";

	private final DynamoTable table;

	DynamoSessionStore(DynamoTable table) {
		this.table = table;
	}

	@Override
	public Optional<Session> find(SessionId id) {
		Map<String, AttributeValue> item = table.get(key(DynamoItems.session(id), DynamoItems.MAIN));
		return item.isEmpty() ? Optional.empty() : Optional.of(map(item));
	}

	@Override
	public Optional<Session> findByThread(Place place) {
		Map<String, AttributeValue> link = table.get(key(DynamoItems.thread(place), DynamoItems.MAIN));
		return link.isEmpty() ? Optional.empty() : find(new SessionId(number(link, "session_id")));
	}

	@Override
	public SessionId insert(UserId owner, String title, String model, String systemPrompt, boolean isPublic,
			Place origin, Instant now) {
		SessionId id = new SessionId(DynamoItems.nextId(table, "session"));
		long at = now.toEpochMilli();
		Map<String, AttributeValue> item = new HashMap<>(key(DynamoItems.session(id), DynamoItems.MAIN));
		item.put("id", n(id.value()));
		item.put("owner_id", n(owner.value()));
		item.put("title", s(title));
		item.put("model", s(model));
		if (systemPrompt != null) {
			item.put("system_prompt", s(systemPrompt));
		}
		item.put("is_public", bool(isPublic));
		item.put("origin_platform", s(origin.platform()));
		item.put("origin_kind", s(origin.kind().dbValue()));
		if (origin.space() != null) {
			item.put("origin_space", s(origin.space()));
		}
		if (origin.thread() != null) {
			item.put("origin_thread", s(origin.thread()));
		}
		item.put("current_topic", n(1));
		item.put("message_count", n(0));
		item.put("created_at", n(at));
		item.put("updated_at", n(at));
		item.put("modified_at", n(at));
		item.put("gsi1pk", s(DynamoItems.owner(owner)));
		item.put("gsi1sk", s(DynamoItems.activity(at, id.value())));
		if (isPublic) {
			item.put("gsi2pk", s(PUBLIC));
		}
		item.put("gsi2sk", s(DynamoItems.activity(at, id.value())));
		table.put(PutItemRequest.builder().item(item).conditionExpression("attribute_not_exists(pk)"));
		if (origin.isThread()) {
			table.put(PutItemRequest.builder()
				.item(Map.of("pk", s(DynamoItems.thread(origin)), "sk", s(DynamoItems.MAIN), "session_id",
						n(id.value()))));
		}
		return id;
	}

	/**
	 * Reads {@code offset + limit} of the owner's sessions from {@code gsi1} and as many
	 * of other people's public ones from {@code gsi2}, both newest first, and merges
	 * them: a page costs what it shows (and what it skips), never the whole list.
	 */
	@Override
	public List<Session> listVisible(UserId user, boolean includePublic, int limit, int offset) {
		int wanted = offset + limit;
		Map<SessionId, Session> merged = new LinkedHashMap<>();
		newestFirst(DynamoTable.GSI1, DynamoItems.owner(user), wanted, session -> true)
			.forEach(session -> merged.put(session.id(), session));
		if (includePublic) {
			newestFirst(DynamoTable.GSI2, PUBLIC, wanted, session -> !session.isOwnedBy(user))
				.forEach(session -> merged.put(session.id(), session));
		}
		return merged.values()
			.stream()
			.sorted(Comparator.comparing(Session::updatedAt).thenComparing(session -> session.id().value()).reversed())
			.skip(offset)
			.limit(limit)
			.toList();
	}

	private List<Session> newestFirst(String index, String partition, int wanted, Predicate<Session> keep) {
		List<Session> found = new ArrayList<>();
		Map<String, AttributeValue> start = null;
		do {
			QueryResponse response = table.query(QueryRequest.builder()
				.indexName(index)
				.keyConditionExpression(index + "pk = :p")
				.expressionAttributeValues(Map.of(":p", s(partition)))
				.scanIndexForward(false)
				.limit(wanted)
				.exclusiveStartKey(start));
			for (Map<String, AttributeValue> item : response.items()) {
				Session session = map(item);
				if (keep.test(session) && found.size() < wanted) {
					found.add(session);
				}
			}
			start = next(response);
		}
		while (start != null && found.size() < wanted);
		return found;
	}

	@Override
	public long countVisible(UserId user, boolean includePublic) {
		long count = count(QueryRequest.builder()
			.indexName(DynamoTable.GSI1)
			.keyConditionExpression("gsi1pk = :p")
			.expressionAttributeValues(Map.of(":p", s(DynamoItems.owner(user)))));
		if (includePublic) {
			count += count(QueryRequest.builder()
				.indexName(DynamoTable.GSI2)
				.keyConditionExpression("gsi2pk = :p")
				.filterExpression("owner_id <> :me")
				.expressionAttributeValues(Map.of(":p", s(PUBLIC), ":me", n(user.value()))));
		}
		return count;
	}

	private long count(QueryRequest.Builder request) {
		long count = 0;
		Map<String, AttributeValue> start = null;
		do {
			QueryResponse response = table.query(request.select(Select.COUNT).exclusiveStartKey(start));
			count += response.count();
			start = next(response);
		}
		while (start != null);
		return count;
	}

	@Override
	public void update(SessionId id, SessionStore.Setting setting, Object value, Instant now) {
		Map<String, AttributeValue> values = new HashMap<>(Map.of(":now", n(now.toEpochMilli())));
		String expression;
		if (setting == SessionStore.Setting.PUBLIC) {
			// the public index holds a session while it has gsi2pk; gsi2sk is kept
			// current
			// by every touch
			boolean isPublic = (Boolean) value;
			values.put(":v", bool(isPublic));
			if (isPublic) {
				values.put(":public", s(PUBLIC));
			}
			expression = isPublic ? "SET is_public = :v, gsi2pk = :public, modified_at = :now"
					: "SET is_public = :v, modified_at = :now REMOVE gsi2pk";
		}
		else {
			AttributeValue attributeValue = DynamoItems.value(value);
			if (attributeValue == null) {
				expression = "SET modified_at = :now REMOVE #a";
			}
			else {
				values.put(":v", attributeValue);
				expression = "SET #a = :v, modified_at = :now";
			}
		}
		UpdateItemRequest.Builder request = UpdateItemRequest.builder()
			.key(key(DynamoItems.session(id), DynamoItems.MAIN))
			.updateExpression(expression)
			.expressionAttributeValues(values);
		if (expression.contains("#a")) {
			// by placeholder: some attribute names are reserved words in expressions
			request.expressionAttributeNames(Map.of("#a", attributeOf(setting)));
		}
		updateExisting(request);
	}

	private static String attributeOf(SessionStore.Setting setting) {
		return switch (setting) {
			case TITLE -> "title";
			case MODEL -> "model";
			case SYSTEM_PROMPT -> "system_prompt";
			case PUBLIC -> "is_public";
		};
	}

	/** One atomic addition: two concurrent {@code /new} make two topics. */
	@Override
	public int startNewTopic(SessionId id, Instant now) {
		return Integer.parseInt(
				table
					.update(UpdateItemRequest.builder()
						.key(key(DynamoItems.session(id), DynamoItems.MAIN))
						.updateExpression("ADD current_topic :one SET modified_at = :now")
						.conditionExpression("attribute_exists(pk)")
						.expressionAttributeValues(Map.of(":one", n(1), ":now", n(now.toEpochMilli())))
						.returnValues(ReturnValue.UPDATED_NEW))
					.attributes()
					.get("current_topic")
					.n());
	}

	@Override
	public void touch(SessionId id, Instant now) {
		updateExisting(touch(id, now.toEpochMilli()));
	}

	/** The same update, which returns the session it wrote. */
	@Override
	public Optional<Session> touched(SessionId id, Instant now) {
		try {
			return Optional.of(
					map(table
						.update(touch(id, now.toEpochMilli()).conditionExpression("attribute_exists(pk)")
							.returnValues(ReturnValue.ALL_NEW))
						.attributes()));
		}
		catch (ConditionalCheckFailedException gone) {
			return Optional.empty();
		}
	}

	private static UpdateItemRequest.Builder touch(SessionId id, long now) {
		return UpdateItemRequest.builder()
			.key(key(DynamoItems.session(id), DynamoItems.MAIN))
			.updateExpression(TOUCH)
			.expressionAttributeValues(touchValues(id, now));
	}

	/**
	 * What a touch sets on the session's item (its values from {@link #touchValues}): the
	 * last activity, by which lists put sessions in order. Also part of the message
	 * store's update that stores a question.
	 */
	static final String TOUCH = "SET updated_at = :now, gsi1sk = :activity, gsi2sk = :activity";

	static Map<String, AttributeValue> touchValues(SessionId id, long now) {
		return Map.of(":now", n(now), ":activity", s(DynamoItems.activity(now, id.value())));
	}

	/**
	 * Deletes the session's partition (the session and every message), 25 items a call,
	 * and its thread's link.
	 */
	@Override
	public void delete(SessionId id) {
		Optional<Session> session = find(id);
		List<Map<String, AttributeValue>> keys = new ArrayList<>();
		Map<String, AttributeValue> start = null;
		do {
			QueryResponse response = table.query(QueryRequest.builder()
				.keyConditionExpression("pk = :p")
				.projectionExpression("pk, sk")
				.expressionAttributeValues(Map.of(":p", s(DynamoItems.session(id))))
				.exclusiveStartKey(start));
			keys.addAll(response.items());
			start = next(response);
		}
		while (start != null);
		// the session's own item last, so a delete cut short can be done again
		keys.sort(Comparator.comparing(item -> DynamoItems.MAIN.equals(string(item, "sk"))));
		table.deleteAll(keys);
		session.filter(found -> found.origin().isThread())
			.ifPresent(found -> table
				.delete(DeleteItemRequest.builder().key(key(DynamoItems.thread(found.origin()), DynamoItems.MAIN))));
	}

	@Override
	public List<SessionId> owned(UserId owner) {
		List<SessionId> ids = new ArrayList<>();
		Map<String, AttributeValue> start = null;
		do {
			QueryResponse response = table.query(QueryRequest.builder()
				.indexName(DynamoTable.GSI1)
				.keyConditionExpression("gsi1pk = :p")
				.projectionExpression("#id")
				.expressionAttributeNames(Map.of("#id", "id"))
				.expressionAttributeValues(Map.of(":p", s(DynamoItems.owner(owner))))
				.exclusiveStartKey(start));
			response.items().forEach(item -> ids.add(new SessionId(number(item, "id"))));
			start = next(response);
		}
		while (start != null);
		return ids;
	}

	/** An update of a session that exists; one that is gone is left alone, as in SQL. */
	private void updateExisting(UpdateItemRequest.Builder request) {
		table.updateExisting(request);
	}

	private static Map<String, AttributeValue> next(QueryResponse response) {
		return response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey()
				: null;
	}

	static Session map(Map<String, AttributeValue> item) {
		Place origin = new Place(string(item, "origin_platform"), PlaceKind.fromDb(string(item, "origin_kind")),
				string(item, "origin_space"), string(item, "origin_thread"));
		return new Session(new SessionId(number(item, "id")), new UserId(number(item, "owner_id")),
				string(item, "title"), string(item, "model"), string(item, "system_prompt"), flag(item, "is_public"),
				origin, number(item, "current_topic").intValue(), Instant.ofEpochMilli(number(item, "created_at")),
				Instant.ofEpochMilli(number(item, "updated_at")), Instant.ofEpochMilli(number(item, "modified_at")));
	}

}
