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
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Repository;

import static io.switchboard.storage.DynamoTable.key;
import static io.switchboard.storage.DynamoTable.n;
import static io.switchboard.storage.DynamoTable.number;
import static io.switchboard.storage.DynamoTable.s;
import static io.switchboard.storage.DynamoTable.string;

/**
 * Messages in DynamoDB, one item each (never a growing list: an item holds at most 400
 * KB) in their session's partition, sorted by {@code M#topic#seq}, zero-padded. A turn's
 * context is a query on that key backwards with a limit, page by page, so it costs the
 * same in a session of a thousand messages as in one of a hundred thousand.
 * <p>
 * A message's id is its key packed into a number: session × 2³² + topic × 2²⁰ + order, so
 * finding one by id is one read with no index. Hence a topic holds at most 1,048,575
 * messages and a session at most 4,095 topics; past those a write is refused with a
 * message saying so.
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoMessageStore implements MessageStorage {

	static final int MAX_TOPIC = (1 << 12) - 1;

	static final int MAX_SEQ = (1 << 20) - 1;

	private final DynamoTable table;

	private final PartsCodec parts;

	DynamoMessageStore(DynamoTable table, PartsCodec parts) {
		this.table = table;
		this.parts = parts;
	}

	static long id(SessionId session, int topic, int seq) {
		if (topic < 1 || topic > MAX_TOPIC) {
			throw new ConversationException.Invalid("Session " + session + " has reached its last topic (" + MAX_TOPIC
					+ "); start a new session with /session new.");
		}
		if (seq < 1 || seq > MAX_SEQ) {
			throw new ConversationException.Invalid(
					"This topic is full (" + MAX_SEQ + " messages); start a new topic with /new.");
		}
		return (session.value() << 32) | ((long) topic << 20) | seq;
	}

	static String sortKey(int topic, int seq) {
		return String.format("M#%06d#%010d", topic, seq);
	}

	/** The key of the item of the message with this id (see {@link #id}). */
	private static Map<String, AttributeValue> itemKey(long id) {
		return key(DynamoItems.session(new SessionId(id >>> 32)), sortKey(topic(id), seq(id)));
	}

	/** Whether an id can name a message at all: its topic and place count from 1. */
	private static boolean possible(long id) {
		return topic(id) != 0 && seq(id) != 0;
	}

	private static int topic(long id) {
		return (int) ((id >>> 20) & MAX_TOPIC);
	}

	private static int seq(long id) {
		return (int) (id & MAX_SEQ);
	}

	/**
	 * One atomic addition to the topic's counter on the session's item: concurrent
	 * writers on any node get distinct numbers, with no retry. The same update counts the
	 * session's messages.
	 */
	@Override
	public int reserveSeqs(SessionId session, int topic, int count) {
		try {
			String counter = "seq_" + topic;
			long last = Long.parseLong(
					table
						.update(UpdateItemRequest.builder()
							.key(key(DynamoItems.session(session), DynamoItems.MAIN))
							.updateExpression(RESERVE)
							.conditionExpression("attribute_exists(pk)")
							.expressionAttributeNames(Map.of("#c", counter))
							.expressionAttributeValues(Map.of(":n", n(count)))
							.returnValues(ReturnValue.UPDATED_NEW))
						.attributes()
						.get(counter)
						.n());
			return (int) (last - count + 1);
		}
		catch (ConditionalCheckFailedException gone) {
			throw gone(session);
		}
	}

	/**
	 * What takes order numbers on the session's item: {@code :n} more of topic's counter
	 * ({@code #c}), counted among the session's messages too.
	 */
	private static final String RESERVE = "ADD #c :n, message_count :n";

	private static ConversationException.NotFound gone(SessionId session) {
		return new ConversationException.NotFound("Session " + session + " does not exist any more.");
	}

	@Override
	public long insert(SessionId session, int topic, int seq, MessageRole role, UserId author, String content,
			int tokenCount, AnswerRecord answer, Instant now, AnswerState state, String note, Long replyTo) {
		return number(
				put(item(session, topic, seq, role, author, content, tokenCount, answer, now, state, note, replyTo)),
				"id");
	}

	/**
	 * One update of the session's item touches it (as {@link DynamoSessionStore#touch}
	 * does) and takes the two order numbers, returning the session as it then stands; the
	 * two messages are kept as written rather than read back.
	 */
	@Override
	public Exchange insertExchange(SessionStorage sessions, SessionId session, int topic, UserId author,
			String question, int questionTokens, String answer, int answerTokens, AnswerRecord record,
			AnswerState state, String note, Instant now) {
		String counter = "seq_" + topic;
		Map<String, AttributeValue> values = new HashMap<>(DynamoSessionStore.touchValues(session, now.toEpochMilli()));
		values.put(":n", n(2));
		Map<String, AttributeValue> stored;
		try {
			stored = table
				.update(UpdateItemRequest.builder()
					.key(key(DynamoItems.session(session), DynamoItems.MAIN))
					.updateExpression(DynamoSessionStore.TOUCH + " " + RESERVE)
					.conditionExpression("attribute_exists(pk)")
					.expressionAttributeNames(Map.of("#c", counter))
					.expressionAttributeValues(values)
					.returnValues(ReturnValue.ALL_NEW))
				.attributes();
		}
		catch (ConditionalCheckFailedException gone) {
			throw gone(session);
		}
		int seq = (int) (number(stored, counter) - 1);
		Map<String, AttributeValue> asked = put(item(session, topic, seq, MessageRole.USER, author, question,
				questionTokens, null, now, null, null, null));
		Map<String, AttributeValue> answering = put(item(session, topic, seq + 1, MessageRole.ASSISTANT, null, answer,
				answerTokens, record, now, state, note, id(session, topic, seq)));
		return new Exchange(DynamoSessionStore.map(stored), map(asked), map(answering));
	}

	private static Map<String, AttributeValue> item(SessionId session, int topic, int seq, MessageRole role,
			UserId author, String content, int tokenCount, AnswerRecord answer, Instant now, AnswerState state,
			String note, Long replyTo) {
		long id = id(session, topic, seq);
		Map<String, AttributeValue> item = new HashMap<>(key(DynamoItems.session(session), sortKey(topic, seq)));
		item.put("id", n(id));
		item.put("session_id", n(session.value()));
		item.put("topic", n(topic));
		item.put("seq", n(seq));
		item.put("role", s(role.name().toLowerCase(Locale.ROOT)));
		if (author != null) {
			item.put("author_id", n(author.value()));
		}
		item.put("content", s(content));
		item.put("token_count", n(tokenCount));
		if (answer != null) {
			putAnswer(item, answer);
		}
		item.put("created_at", n(now.toEpochMilli()));
		if (state != null) {
			item.put("state", s(state.dbValue()));
		}
		if (note != null) {
			item.put("note", s(note));
		}
		if (replyTo != null) {
			item.put("reply_to", n(replyTo));
		}
		return item;
	}

	/** Writes a message's item in a place no other message holds; returns the item. */
	private Map<String, AttributeValue> put(Map<String, AttributeValue> item) {
		try {
			table.put(PutItemRequest.builder().item(item).conditionExpression("attribute_not_exists(pk)"));
		}
		catch (ConditionalCheckFailedException taken) {
			throw new DuplicateKeyException("message place " + new SessionId(number(item, "session_id")) + "/"
					+ number(item, "topic") + "/" + number(item, "seq") + " is taken", taken);
		}
		return item;
	}

	private static void putAnswer(Map<String, AttributeValue> item, AnswerRecord answer) {
		item.put("model", s(answer.model()));
		item.put("provider", s(answer.provider()));
		item.put("tokens_in", n(answer.tokensIn()));
		item.put("tokens_out", n(answer.tokensOut()));
		item.put("cost_nanos", n(answer.costNanos()));
		item.put("latency_ms", n(answer.latencyMillis()));
		item.put("context_omitted", n(answer.contextOmitted()));
		item.put("tokens_cached", n(answer.tokensCached()));
		if (answer.finishReason() != null) {
			item.put("finish_reason", s(answer.finishReason()));
		}
	}

	@Override
	public Optional<StoredMessage> find(long id) {
		if (!possible(id)) {
			return Optional.empty();
		}
		Map<String, AttributeValue> item = table.get(itemKey(id));
		return item.isEmpty() ? Optional.empty() : Optional.of(map(item));
	}

	/**
	 * One batch read of the answer, the session's item and the message just before the
	 * answer, which is its question when the two were stored together (as every question
	 * is); a question elsewhere is read after it.
	 */
	@Override
	public Optional<Exchange> exchange(long answerId, SessionStorage sessions) {
		if (!possible(answerId)) {
			return Optional.empty();
		}
		boolean afterAnother = seq(answerId) > 1;
		List<Map<String, AttributeValue>> keys = new ArrayList<>(
				List.of(itemKey(answerId), key(DynamoItems.session(new SessionId(answerId >>> 32)), DynamoItems.MAIN)));
		if (afterAnother) {
			// the message before it, in the same topic (ids count places within a topic)
			keys.add(itemKey(answerId - 1));
		}
		List<Map<String, AttributeValue>> items = table.getAll(keys);
		if (items.get(0).isEmpty()) {
			return Optional.empty();
		}
		StoredMessage answer = map(items.get(0));
		if (answer.replyTo() == null) {
			return Optional.empty();
		}
		Optional<StoredMessage> question = afterAnother && answer.replyTo() == answerId - 1
				? Optional.of(items.get(2)).filter(item -> !item.isEmpty()).map(this::map) : find(answer.replyTo());
		return question.flatMap(asked -> Optional.of(items.get(1))
			.filter(item -> !item.isEmpty())
			.map(item -> new Exchange(DynamoSessionStore.map(item), asked, answer)));
	}

	/** A conditional update: only a pending answer is written. */
	@Override
	public boolean answer(long id, String content, int tokenCount, AnswerRecord answer) {
		return answered(id, content, tokenCount, answer).isPresent();
	}

	/** The conditional update of {@link #answer}, which returns the item it wrote. */
	@Override
	public Optional<StoredMessage> answered(long id, String content, int tokenCount, AnswerRecord answer) {
		Map<String, AttributeValue> values = new HashMap<>();
		values.put(":content", s(content));
		values.put(":tokens", n(tokenCount));
		values.put(":model", s(answer.model()));
		values.put(":provider", s(answer.provider()));
		values.put(":in", n(answer.tokensIn()));
		values.put(":out", n(answer.tokensOut()));
		values.put(":cost", n(answer.costNanos()));
		values.put(":latency", n(answer.latencyMillis()));
		values.put(":omitted", n(answer.contextOmitted()));
		values.put(":cached", n(answer.tokensCached()));
		values.put(":answered", s(AnswerState.ANSWERED.dbValue()));
		values.put(":pending", s(AnswerState.PENDING.dbValue()));
		String finish = "";
		if (answer.finishReason() != null) {
			values.put(":finish", s(answer.finishReason()));
			finish = ", finish_reason = :finish";
		}
		return settleIf(id,
				"SET content = :content, token_count = :tokens, #model = :model, provider = :provider,"
						+ " tokens_in = :in, tokens_out = :out, cost_nanos = :cost, latency_ms = :latency,"
						+ " context_omitted = :omitted, tokens_cached = :cached, #state = :answered" + finish,
				values)
			.map(this::map);
	}

	@Override
	public boolean settle(long id, AnswerState state, String note) {
		Map<String, AttributeValue> values = new HashMap<>();
		values.put(":state", s(state.dbValue()));
		values.put(":pending", s(AnswerState.PENDING.dbValue()));
		if (note == null) {
			return settleIf(id, "SET #state = :state REMOVE note", values).isPresent();
		}
		values.put(":note", s(note));
		return settleIf(id, "SET #state = :state, note = :note", values).isPresent();
	}

	/**
	 * A pending answer's update: the item as it now stands, or empty when it was not
	 * pending (nothing changed).
	 */
	private Optional<Map<String, AttributeValue>> settleIf(long id, String expression,
			Map<String, AttributeValue> values) {
		Map<String, String> names = new HashMap<>(Map.of("#state", "state"));
		if (expression.contains("#model")) {
			names.put("#model", "model");
		}
		try {
			return Optional.of(
					table
						.update(UpdateItemRequest.builder()
							.key(itemKey(id))
							.updateExpression(expression)
							.conditionExpression("#state = :pending")
							.expressionAttributeNames(names)
							.expressionAttributeValues(values)
							.returnValues(ReturnValue.ALL_NEW))
						.attributes());
		}
		catch (ConditionalCheckFailedException notPending) {
			return Optional.empty();
		}
	}

	@Override
	public List<StoredMessage> newestFirst(SessionId session, int topic, int beforeSeq, int limit) {
		if (beforeSeq <= 1 || limit <= 0) {
			return List.of();
		}
		return query(QueryRequest.builder()
			.keyConditionExpression("pk = :p AND sk BETWEEN :from AND :to")
			.expressionAttributeValues(Map.of(":p", s(DynamoItems.session(session)), ":from", s(sortKey(topic, 0)),
					":to", s(sortKey(topic, Math.min(beforeSeq - 1, MAX_SEQ)))))
			.scanIndexForward(false)
			.consistentRead(true)
			.limit(limit));
	}

	/** One query forwards from just after the given place, up to the last message key. */
	@Override
	public List<StoredMessage> oldestFirst(SessionId session, int afterTopic, int afterSeq, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		return query(QueryRequest.builder()
			.keyConditionExpression("pk = :p AND sk BETWEEN :from AND :to")
			.expressionAttributeValues(Map.of(":p", s(DynamoItems.session(session)), ":from",
					s(sortKey(afterTopic, afterSeq) + "~"), ":to", s("M#~")))
			.scanIndexForward(true)
			.consistentRead(true)
			.limit(limit));
	}

	@Override
	public List<StoredMessage> recent(SessionId session, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		return query(QueryRequest.builder()
			.keyConditionExpression("pk = :p AND begins_with(sk, :m)")
			.expressionAttributeValues(Map.of(":p", s(DynamoItems.session(session)), ":m", s("M#")))
			.scanIndexForward(false)
			.consistentRead(true)
			.limit(limit)).reversed();
	}

	@Override
	public List<StoredMessage> before(SessionId session, int topic, int seq, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		// sort keys are zero-padded, so "before the place" is "below its key"
		return query(QueryRequest.builder()
			.keyConditionExpression("pk = :p AND sk BETWEEN :from AND :to")
			.expressionAttributeValues(Map.of(":p", s(DynamoItems.session(session)), ":from", s("M#"), ":to",
					s(seq <= 0 ? sortKey(topic, 0) : sortKey(topic, seq - 1))))
			.scanIndexForward(false)
			.consistentRead(true)
			.limit(limit)).reversed()
			.stream()
			.filter(message -> message.topic() < topic || message.seq() < seq)
			.toList();
	}

	@Override
	public List<StoredMessage> from(SessionId session, int topic, int seq, int limit) {
		if (limit <= 0) {
			return List.of();
		}
		return query(QueryRequest.builder()
			.keyConditionExpression("pk = :p AND sk BETWEEN :from AND :to")
			.expressionAttributeValues(Map.of(":p", s(DynamoItems.session(session)), ":from",
					s(sortKey(topic, Math.max(seq, 0))), ":to", s("M#~")))
			.scanIndexForward(true)
			.consistentRead(true)
			.limit(limit));
	}

	/** The count kept on the session's item: no read of the messages. */
	@Override
	public long count(SessionId session) {
		Map<String, AttributeValue> item = table.get(key(DynamoItems.session(session), DynamoItems.MAIN));
		Long count = number(item, "message_count");
		return count == null ? 0 : count;
	}

	private List<StoredMessage> query(QueryRequest.Builder request) {
		List<StoredMessage> found = new ArrayList<>();
		table.query(request).items().forEach(item -> found.add(map(item)));
		return found;
	}

	private StoredMessage map(Map<String, AttributeValue> item) {
		Long author = number(item, "author_id");
		AnswerRecord answer = null;
		String model = string(item, "model");
		if (model != null) {
			answer = new AnswerRecord(model, string(item, "provider"), number(item, "tokens_in").intValue(),
					number(item, "tokens_out").intValue(), number(item, "cost_nanos"), number(item, "latency_ms"),
					number(item, "context_omitted").intValue(), string(item, "finish_reason"),
					// absent on answers stored before prompt caching was counted
					Optional.ofNullable(number(item, "tokens_cached")).orElse(0L).intValue());
		}
		return new StoredMessage(number(item, "id"), new SessionId(number(item, "session_id")),
				number(item, "topic").intValue(), number(item, "seq").intValue(),
				MessageRole.valueOf(string(item, "role").toUpperCase(Locale.ROOT)),
				author == null ? null : new UserId(author), parts.read(string(item, "content")),
				number(item, "token_count").intValue(), answer, Instant.ofEpochMilli(number(item, "created_at")),
				AnswerState.fromDb(string(item, "state")), string(item, "note"), number(item, "reply_to"));
	}

}
