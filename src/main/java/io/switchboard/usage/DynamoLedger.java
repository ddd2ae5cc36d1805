package io.switchboard.usage;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Repository;

import static io.switchboard.storage.DynamoTable.key;
import static io.switchboard.storage.DynamoTable.n;
import static io.switchboard.storage.DynamoTable.number;
import static io.switchboard.storage.DynamoTable.s;
import static io.switchboard.storage.DynamoTable.string;

/**
 * The ledger in DynamoDB: one item per user, day, model and purpose,
 * {@code (L#user, day#model)} for chat and {@code (L#user, day#model#purpose)} for the
 * others (so chat items written before purposes existed stay where they are, and a day's
 * items still sort by model, then purpose). Its sums are raised by one atomic {@code ADD}
 * (which creates the item the first time), so concurrent calls never lose a count. A
 * user's days are one query on the sort key; everyone's rows of a day (for admins) one
 * query on index {@code gsi2} under {@code LD#day}.
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoLedger implements LedgerStorage {

	private final DynamoTable table;

	DynamoLedger(DynamoTable table) {
		this.table = table;
	}

	@Override
	public void add(long userId, String model, LocalDate day, UsagePurpose purpose, long requests, long tokensIn,
			long tokensOut, long tokensCached, long costNanos) {
		table.update(UpdateItemRequest.builder()
			.key(key(userKey(userId), sortKey(day, model, purpose)))
			.updateExpression(
					"SET user_id = :user, #model = :model, #day = :day, purpose = :purpose, gsi2pk = :byDay, gsi2sk = :sk"
							+ " ADD requests :requests, tokens_in :in, tokens_out :out, tokens_cached :cached,"
							+ " cost_nanos :cost")
			.expressionAttributeNames(Map.of("#model", "model", "#day", "day"))
			.expressionAttributeValues(Map.ofEntries(Map.entry(":user", n(userId)), Map.entry(":model", s(model)),
					Map.entry(":day", s(day.toString())), Map.entry(":purpose", s(purpose.dbValue())),
					Map.entry(":byDay", s(dayKey(day))), Map.entry(":sk", s(sortKey(day, model, purpose))),
					Map.entry(":requests", n(requests)), Map.entry(":in", n(tokensIn)), Map.entry(":out", n(tokensOut)),
					Map.entry(":cached", n(tokensCached)), Map.entry(":cost", n(costNanos)))));
	}

	@Override
	public void addAudio(long userId, String model, LocalDate day, long requests, long seconds, long costNanos) {
		// the chat item, like the SQL ledger's audio upsert; ADD 0 creates the token sums
		table.update(UpdateItemRequest.builder()
			.key(key(userKey(userId), sortKey(day, model, UsagePurpose.CHAT)))
			.updateExpression(
					"SET user_id = :user, #model = :model, #day = :day, purpose = :purpose, gsi2pk = :byDay, gsi2sk = :sk"
							+ " ADD requests :one, tokens_in :zero, tokens_out :zero, tokens_cached :zero,"
							+ " cost_nanos :cost, audio_seconds :seconds")
			.expressionAttributeNames(Map.of("#model", "model", "#day", "day"))
			.expressionAttributeValues(Map.ofEntries(Map.entry(":user", n(userId)), Map.entry(":model", s(model)),
					Map.entry(":day", s(day.toString())), Map.entry(":purpose", s(UsagePurpose.CHAT.dbValue())),
					Map.entry(":byDay", s(dayKey(day))), Map.entry(":sk", s(sortKey(day, model, UsagePurpose.CHAT))),
					Map.entry(":one", n(requests)), Map.entry(":zero", n(0)), Map.entry(":cost", n(costNanos)),
					Map.entry(":seconds", n(seconds)))));
	}

	@Override
	public long audioSeconds(long userId, LocalDate day) {
		long seconds = 0;
		for (Map<String, AttributeValue> item : items(userId, day, day)) {
			seconds += orZero(item, "audio_seconds");
		}
		return seconds;
	}

	@Override
	public List<UsageRow> forUser(long userId, LocalDate from, LocalDate to) {
		return items(userId, from, to).stream().map(DynamoLedger::row).toList();
	}

	/**
	 * One query of index {@code gsi2} per day (an admin's page spans a few weeks), sorted
	 * here as SQL sorts them.
	 */
	@Override
	public List<UsageRow> forEveryone(LocalDate from, LocalDate to) {
		List<UsageRow> rows = new java.util.ArrayList<>();
		for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
			Map<String, AttributeValue> start = null;
			do {
				QueryResponse response = table.query(QueryRequest.builder()
					.indexName(DynamoTable.GSI2)
					.keyConditionExpression("gsi2pk = :p")
					.expressionAttributeValues(Map.of(":p", s(dayKey(day))))
					.exclusiveStartKey(start));
				response.items().forEach(item -> rows.add(row(item)));
				start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
						? response.lastEvaluatedKey() : null;
			}
			while (start != null);
		}
		rows.sort(java.util.Comparator.comparing(UsageRow::day)
			.thenComparing(UsageRow::model)
			.thenComparingLong(UsageRow::userId)
			.thenComparing(UsageRow::purpose));
		return rows;
	}

	private static UsageRow row(Map<String, AttributeValue> item) {
		String purpose = string(item, "purpose");
		return new UsageRow(number(item, "user_id"), string(item, "model"), LocalDate.parse(string(item, "day")),
				purpose == null ? UsagePurpose.CHAT : UsagePurpose.fromDb(purpose), orZero(item, "requests"),
				orZero(item, "tokens_in"), orZero(item, "tokens_out"), orZero(item, "tokens_cached"),
				orZero(item, "cost_nanos"));
	}

	private static String dayKey(LocalDate day) {
		return "LD#" + day;
	}

	private List<Map<String, AttributeValue>> items(long userId, LocalDate from, LocalDate to) {
		List<Map<String, AttributeValue>> items = new java.util.ArrayList<>();
		Map<String, AttributeValue> start = null;
		do {
			// "~" sorts after every model name, so the last day is included whole
			QueryResponse response = table.query(QueryRequest.builder()
				.keyConditionExpression("pk = :p AND sk BETWEEN :from AND :to")
				.expressionAttributeValues(
						Map.of(":p", s(userKey(userId)), ":from", s(from + "#"), ":to", s(to + "#~")))
				.exclusiveStartKey(start));
			items.addAll(response.items());
			start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
					? response.lastEvaluatedKey() : null;
		}
		while (start != null);
		return items;
	}

	private static String userKey(long userId) {
		return "L#" + userId;
	}

	private static String sortKey(LocalDate day, String model, UsagePurpose purpose) {
		String sk = day + "#" + model;
		return purpose == UsagePurpose.CHAT ? sk : sk + "#" + purpose.dbValue();
	}

	private static long orZero(Map<String, AttributeValue> item, String name) {
		Long value = number(item, name);
		return value == null ? 0 : value;
	}

}
