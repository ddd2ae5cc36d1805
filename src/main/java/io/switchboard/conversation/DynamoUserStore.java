package io.switchboard.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Repository;

import static io.switchboard.storage.DynamoTable.bool;
import static io.switchboard.storage.DynamoTable.flag;
import static io.switchboard.storage.DynamoTable.key;
import static io.switchboard.storage.DynamoTable.n;
import static io.switchboard.storage.DynamoTable.number;
import static io.switchboard.storage.DynamoTable.s;
import static io.switchboard.storage.DynamoTable.string;

/**
 * Users and identities in DynamoDB: a user is item {@code U#id}, an identity item
 * {@code I#platform#id} names its user (one consistent read each way). All users are
 * listed by index {@code gsi1} under {@code USERS}; a user's identities on a platform by
 * {@code gsi1} under {@code UI#user#platform}, oldest first; index {@code gsi3} finds the
 * users whose current session is a given one.
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoUserStore implements UserStorage {

	private static final String ALL_USERS = "USERS";

	/**
	 * The most identities whose user this process remembers; past it, it forgets them all
	 * and asks again.
	 */
	private static final int REMEMBERED = 10_000;

	private final DynamoTable table;

	/**
	 * Which user an identity names, as read before: an identity item is written once
	 * (conditionally) and never changed or removed on DynamoDB (linking identities, which
	 * would move one, is not available here), so a name once read stays true. It saves
	 * the identity's read each time a message's user is looked up again (the intake, the
	 * assistant and the reply's buttons each look once).
	 */
	private final Map<PlatformUserId, UserId> usersByIdentity = new java.util.concurrent.ConcurrentHashMap<>();

	/**
	 * A user's oldest identity on a platform, as found before: the same holds (identities
	 * are only ever added, so the oldest stays the oldest).
	 */
	private final Map<String, PlatformUserId> firstIdentities = new java.util.concurrent.ConcurrentHashMap<>();

	DynamoUserStore(DynamoTable table) {
		this.table = table;
	}

	@Override
	public Optional<User> find(UserId id) {
		Map<String, AttributeValue> item = table.get(key(DynamoItems.user(id), DynamoItems.MAIN));
		return item.isEmpty() ? Optional.empty() : Optional.of(map(item));
	}

	@Override
	public Optional<User> findByIdentity(PlatformUserId identity) {
		UserId known = usersByIdentity.get(identity);
		if (known == null) {
			Map<String, AttributeValue> link = table.get(key(DynamoItems.identity(identity), DynamoItems.MAIN));
			if (link.isEmpty()) {
				return Optional.empty();
			}
			known = new UserId(number(link, "user_id"));
			remember(usersByIdentity, identity, known);
		}
		return find(known);
	}

	@Override
	public UserId insert(String displayName, UserRole role, ConversationProperties.NewUsers start, Instant now) {
		UserId id = new UserId(DynamoItems.nextId(table, "user"));
		Map<String, AttributeValue> item = new HashMap<>(key(DynamoItems.user(id), DynamoItems.MAIN));
		item.put("id", n(id.value()));
		item.put("display_name", s(displayName));
		item.put("role", s(role.name().toLowerCase(Locale.ROOT)));
		item.put("state", s(start.initialState().dbValue()));
		item.put("mode", s("chat"));
		item.put("show_public_sessions", bool(false));
		item.put("attach_new_sessions", bool(Boolean.TRUE.equals(start.attachNewSessions())));
		if (start.maxOutputTokens() != null) {
			item.put("max_output_tokens", n(start.maxOutputTokens()));
		}
		item.put("created_at", n(now.toEpochMilli()));
		item.put("updated_at", n(now.toEpochMilli()));
		item.put("modified_at", n(now.toEpochMilli()));
		item.put("gsi1pk", s(ALL_USERS));
		item.put("gsi1sk", s(DynamoItems.padded(id.value())));
		table.put(PutItemRequest.builder().item(item).conditionExpression("attribute_not_exists(pk)"));
		return id;
	}

	/**
	 * A conditional put: the first of two concurrent first messages wins. The loser's
	 * user, made a moment before by the same caller and known to nobody, is removed again
	 * (SQL rolls it back with the transaction).
	 */
	@Override
	public void insertIdentity(PlatformUserId identity, UserId user, String displayName, Instant now) {
		Map<String, AttributeValue> item = new HashMap<>(key(DynamoItems.identity(identity), DynamoItems.MAIN));
		item.put("user_id", n(user.value()));
		item.put("platform", s(identity.platform()));
		item.put("platform_user_id", s(identity.id()));
		item.put("display_name", s(displayName));
		item.put("created_at", n(now.toEpochMilli()));
		// indexed with the identity itself, so the reverse link is written in the same
		// put
		item.put("gsi1pk", s(identitiesOn(user, identity.platform())));
		item.put("gsi1sk", s("%015d#%s".formatted(now.toEpochMilli(), identity.id())));
		try {
			table.put(PutItemRequest.builder().item(item).conditionExpression("attribute_not_exists(pk)"));
		}
		catch (ConditionalCheckFailedException taken) {
			table.delete(DeleteItemRequest.builder().key(key(DynamoItems.user(user), DynamoItems.MAIN)));
			throw new DuplicateKeyException("identity " + identity + " is taken", taken);
		}
	}

	/** The user's oldest identity on a platform, from {@code gsi1}. */
	@Override
	public Optional<PlatformUserId> identityOn(UserId user, String platform) {
		String key = identitiesOn(user, platform);
		PlatformUserId known = firstIdentities.get(key);
		if (known != null) {
			return Optional.of(known);
		}
		Optional<PlatformUserId> found = firstIdentityOn(user, platform);
		found.ifPresent(identity -> remember(firstIdentities, key, identity));
		return found;
	}

	/** Keeps what was read; past {@link #REMEMBERED} entries a map starts afresh. */
	private static <K, V> void remember(Map<K, V> remembered, K key, V value) {
		if (remembered.size() >= REMEMBERED) {
			remembered.clear();
		}
		remembered.put(key, value);
	}

	private Optional<PlatformUserId> firstIdentityOn(UserId user, String platform) {
		QueryResponse response = table.query(QueryRequest.builder()
			.indexName(DynamoTable.GSI1)
			.keyConditionExpression("gsi1pk = :p")
			.expressionAttributeValues(Map.of(":p", s(identitiesOn(user, platform))))
			.scanIndexForward(true)
			.limit(1));
		return response.items()
			.stream()
			.findFirst()
			.map(item -> new PlatformUserId(platform, string(item, "platform_user_id")));
	}

	private static String identitiesOn(UserId user, String platform) {
		return "UI#" + user.value() + "#" + platform;
	}

	@Override
	public List<User> list(int limit, int offset) {
		List<User> page = new ArrayList<>();
		Map<String, AttributeValue> start = null;
		int skipped = 0;
		do {
			QueryResponse response = table.query(allUsers().exclusiveStartKey(start).limit(offset + limit));
			for (Map<String, AttributeValue> item : response.items()) {
				if (skipped < offset) {
					skipped++;
				}
				else if (page.size() < limit) {
					page.add(map(item));
				}
			}
			start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
					? response.lastEvaluatedKey() : null;
		}
		while (start != null && page.size() < limit);
		return page;
	}

	@Override
	public long count() {
		long count = 0;
		Map<String, AttributeValue> start = null;
		do {
			QueryResponse response = table.query(allUsers().select(Select.COUNT).exclusiveStartKey(start));
			count += response.count();
			start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
					? response.lastEvaluatedKey() : null;
		}
		while (start != null);
		return count;
	}

	private static QueryRequest.Builder allUsers() {
		return QueryRequest.builder()
			.indexName(DynamoTable.GSI1)
			.keyConditionExpression("gsi1pk = :all")
			.expressionAttributeValues(Map.of(":all", s(ALL_USERS)));
	}

	@Override
	public void updateSetting(UserId id, UserStore.Setting setting, Object value, Instant now) {
		String attribute = switch (setting) {
			case DISPLAY_NAME -> "display_name";
			case ROLE -> "role";
			case STATE -> "state";
			case MODE -> "mode";
			case DEFAULT_MODEL -> "default_model";
			case DEFAULT_SYSTEM_PROMPT -> "default_system_prompt";
			case MAX_OUTPUT_TOKENS -> "max_output_tokens";
			case SHOW_PUBLIC_SESSIONS -> "show_public_sessions";
			case ATTACH_NEW_SESSIONS -> "attach_new_sessions";
		};
		AttributeValue attributeValue = DynamoItems.value(value);
		Map<String, AttributeValue> values = new HashMap<>(Map.of(":now", n(now.toEpochMilli())));
		String expression;
		if (attributeValue == null) {
			expression = "SET modified_at = :now REMOVE #a";
		}
		else {
			expression = "SET #a = :v, modified_at = :now";
			values.put(":v", attributeValue);
		}
		updateExisting(id, expression, values, Map.of("#a", attribute));
	}

	@Override
	public void setCurrentSession(UserId id, SessionId session, UserState state, Instant now) {
		Map<String, AttributeValue> values = new HashMap<>(
				Map.of(":state", s(state.dbValue()), ":now", n(now.toEpochMilli())));
		String expression;
		if (session == null) {
			expression = "SET #state = :state, modified_at = :now REMOVE current_session_id, gsi3pk, gsi3sk";
		}
		else {
			expression = "SET #state = :state, modified_at = :now, current_session_id = :session, gsi3pk = :cur,"
					+ " gsi3sk = :me";
			values.put(":session", n(session.value()));
			values.put(":cur", s(DynamoItems.current(session)));
			values.put(":me", s(DynamoItems.user(id)));
		}
		updateExisting(id, expression, values, Map.of("#state", "state"));
	}

	@Override
	public void touch(UserId id, Instant now) {
		updateExisting(id, "SET updated_at = :now", Map.of(":now", n(now.toEpochMilli())), Map.of());
	}

	/**
	 * Found through index {@code gsi3}, which is eventually consistent: a user who made
	 * the session current in the same second may keep it, and is then treated as having
	 * none ({@link Conversations#chooseSession} starts afresh when it is gone).
	 */
	@Override
	public void detachSession(SessionId session) {
		Map<String, AttributeValue> start = null;
		do {
			QueryResponse response = table.query(QueryRequest.builder()
				.indexName(DynamoTable.GSI3)
				.keyConditionExpression("gsi3pk = :cur")
				.expressionAttributeValues(Map.of(":cur", s(DynamoItems.current(session))))
				.exclusiveStartKey(start));
			for (Map<String, AttributeValue> item : response.items()) {
				try {
					table.update(UpdateItemRequest.builder()
						.key(key(string(item, "pk"), DynamoItems.MAIN))
						.updateExpression("REMOVE current_session_id, gsi3pk, gsi3sk")
						.conditionExpression("current_session_id = :session")
						.expressionAttributeValues(Map.of(":session", n(session.value()))));
				}
				catch (ConditionalCheckFailedException moved) {
					// they picked another session meanwhile
				}
			}
			start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
					? response.lastEvaluatedKey() : null;
		}
		while (start != null);
	}

	/** An update of a user that exists; one that does not is left alone, as SQL does. */
	private void updateExisting(UserId id, String expression, Map<String, AttributeValue> values,
			Map<String, String> names) {
		UpdateItemRequest.Builder request = UpdateItemRequest.builder()
			.key(key(DynamoItems.user(id), DynamoItems.MAIN))
			.updateExpression(expression)
			.expressionAttributeValues(values);
		if (!names.isEmpty()) {
			// attribute names go by placeholder: several (state, role, mode) are reserved
			// words
			request.expressionAttributeNames(names);
		}
		table.updateExisting(request); // no such user: nothing to change
	}

	private static User map(Map<String, AttributeValue> item) {
		Long current = number(item, "current_session_id");
		Long maxTokens = number(item, "max_output_tokens");
		return new User(new UserId(number(item, "id")), string(item, "display_name"),
				UserRole.valueOf(string(item, "role").toUpperCase(Locale.ROOT)),
				UserState.fromDb(string(item, "state")),
				ChatMode.valueOf(string(item, "mode").toUpperCase(Locale.ROOT)), string(item, "default_model"),
				string(item, "default_system_prompt"), maxTokens == null ? null : maxTokens.intValue(),
				current == null ? null : new SessionId(current), flag(item, "show_public_sessions"),
				flag(item, "attach_new_sessions"), Instant.ofEpochMilli(number(item, "created_at")),
				Instant.ofEpochMilli(number(item, "updated_at")), Instant.ofEpochMilli(number(item, "modified_at")));
	}

}
