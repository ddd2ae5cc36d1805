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
 * The ledger in DynamoDB: one item per user, day and model, {@code (L#user, day#model)},
 * its sums raised by one atomic {@code ADD} (which creates the item the first time), so
 * concurrent calls never lose a count. A user's days are one query on the sort key.
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoLedger implements LedgerStorage {

	private final DynamoTable table;

	DynamoLedger(DynamoTable table) {
		this.table = table;
	}

	@Override
	public void add(long userId, String model, LocalDate day, long requests, long tokensIn, long tokensOut,
			long costNanos) {
		table.update(UpdateItemRequest.builder()
			.key(key("L#" + userId, day + "#" + model))
			.updateExpression("SET user_id = :user, #model = :model, #day = :day"
					+ " ADD requests :requests, tokens_in :in, tokens_out :out, cost_nanos :cost")
			.expressionAttributeNames(Map.of("#model", "model", "#day", "day"))
			.expressionAttributeValues(Map.of(":user", n(userId), ":model", s(model), ":day", s(day.toString()),
					":requests", n(requests), ":in", n(tokensIn), ":out", n(tokensOut), ":cost", n(costNanos))));
	}

	@Override
	public List<UsageRow> forUser(long userId, LocalDate from, LocalDate to) {
		List<UsageRow> rows = new java.util.ArrayList<>();
		Map<String, AttributeValue> start = null;
		do {
			// "~" sorts after every model name, so the last day is included whole
			QueryResponse response = table.query(QueryRequest.builder()
				.keyConditionExpression("pk = :p AND sk BETWEEN :from AND :to")
				.expressionAttributeValues(Map.of(":p", s("L#" + userId), ":from", s(from + "#"), ":to", s(to + "#~")))
				.exclusiveStartKey(start));
			for (Map<String, AttributeValue> item : response.items()) {
				rows.add(new UsageRow(userId, string(item, "model"), LocalDate.parse(string(item, "day")),
						number(item, "requests"), number(item, "tokens_in"), number(item, "tokens_out"),
						number(item, "cost_nanos")));
			}
			start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
					? response.lastEvaluatedKey() : null;
		}
		while (start != null);
		return rows;
	}

}
