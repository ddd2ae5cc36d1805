package io.switchboard.assistant;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.switchboard.SwitchboardApplication;
import io.switchboard.conversation.AnswerRecord;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.conversation.User;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;
import io.switchboard.storage.Capacity;
import io.switchboard.storage.CapacityMeter;
import io.switchboard.testsupport.Dynalite;
import io.switchboard.usage.UsageLedger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The DynamoDB capacity of one chat turn, as DynamoDB (here dynalite) reports it, in a
 * short session and in sessions of 1,000 and 100,000 stored messages, and how long the
 * context assembly takes on each. A turn is what the pipeline does for one message: find
 * the user by platform identity, choose the session, store the question with its pending
 * answer, read the exchange back, assemble the context (the demo model's 16k window),
 * record the answer and the usage.
 * <p>
 * Run with {@code bench/dynamodb-capacity.sh} against a running dynalite (see
 * {@code docs/benchmarks.md}). Not a unit test.
 */
public final class DynamoTurnCapacity {

	private static final String QUESTION = "Thanks. Could you summarise what we said about the migration plan, "
			+ "and list the three risks you think matter most for the rollout next week?";

	public static void main(String[] args) throws Exception {
		Dynalite.requireOrSkip();
		String table = Dynalite.newTable();
		Path folder = Files.createTempDirectory("switchboard-capacity");
		List<String> settings = new ArrayList<>(
				List.of("--spring.datasource.url=jdbc:sqlite:" + folder.resolve("bench.db"), "--server.port=0",
						"--spring.main.banner-mode=off", "--logging.level.root=WARN",
						"--logging.level.io.switchboard=WARN", "--db-scheduler.enabled=false"));
		Dynalite.settings(table).forEach(setting -> settings.add("--" + setting));
		int[] sizes = args.length == 0 ? new int[] { 0, 1_000, 100_000 }
				: java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SwitchboardApplication.class)
			.profiles("test")
			.web(WebApplicationType.SERVLET)
			.run(settings.toArray(String[]::new))) {
			Conversations conversations = context.getBean(Conversations.class);
			ContextAssembler assembler = context.getBean(ContextAssembler.class);
			ModelCatalog models = context.getBean(ModelCatalog.class);
			UsageLedger usage = context.getBean(UsageLedger.class);
			CapacityMeter meter = context.getBean(CapacityMeter.class);
			DynamoDbClient client = context.getBean(DynamoDbClient.class);
			System.out.printf("%-10s %-28s %8s %8s %10s%n", "messages", "step", "read", "write", "ms");
			for (int size : sizes) {
				PlatformUserId identity = new PlatformUserId("line", "U" + UUID.randomUUID());
				User user = conversations.identify(identity, "Bench");
				Exchange first = conversations.recordExchange(user,
						conversations.chooseSession(user, Place.direct("line"), null, "hello"),
						List.of(new MessagePart.Text("hello")), 10, "Hello! How can I help?", 12,
						new AnswerRecord("demo", "demo", 10, 12, 0, 100, 0, "stop"));
				Session session = first.session();
				if (size > 2) {
					load(client, table, first, size - 2, conversations);
				}
				ModelSpec model = models.defaultModel();
				for (int turn = 0; turn < 3; turn++) {
					// the first turn warms the JVM and connections; the last is reported
					Capacity before = meter.consumed();
					long started = System.nanoTime();
					User known = conversations.identify(identity, "Bench");
					Exchange asked = conversations.ask(known,
							conversations.chooseSession(known, Place.direct("line"), null, QUESTION),
							List.of(new MessagePart.Text(QUESTION)), 30, null);
					Capacity stored = meter.consumed();
					long assembleStart = System.nanoTime();
					Exchange exchange = conversations.exchange(asked.answerId()).orElseThrow();
					ContextAssembler.AssembledContext context1 = assembler.assemble(exchange, model,
							model.maxOutputTokens(), 1.0);
					long assembleNanos = System.nanoTime() - assembleStart;
					Capacity assembled = meter.consumed();
					conversations.answer(asked.answerId(), "An answer.", 5,
							new AnswerRecord(model.name(), "demo", 100, 5, 0, 200, context1.omitted(), "stop"));
					usage.record(known.id().value(), model.name(), 100, 5, 0, Instant.now());
					Capacity done = meter.consumed();
					long totalNanos = System.nanoTime() - started;
					if (turn == 2) {
						long stored2 = conversations.messageCount(session.id());
						report(stored2, "identify + store question", stored.minus(before), -1);
						report(stored2, "assemble context (" + context1.request().messages().size() + " msgs)",
								assembled.minus(stored), assembleNanos);
						report(stored2, "record answer + usage", done.minus(assembled), -1);
						report(stored2, "whole turn", done.minus(before), totalNanos);
					}
				}
			}
		}
	}

	private static void report(long messages, String step, Capacity capacity, long nanos) {
		System.out.printf("%-10d %-28s %8.1f %8.1f %10s%n", messages, step, capacity.readUnits(), capacity.writeUnits(),
				nanos < 0 ? "" : String.format("%.1f", nanos / 1e6));
	}

	/**
	 * Loads {@code count} more messages into the first exchange's topic, alternating
	 * questions and answers, as copies of the exchange's own items (so they are laid out
	 * exactly as the adapter writes them) with their place changed, 25 a batch; then
	 * moves the topic's counter past them.
	 */
	private static void load(DynamoDbClient client, String table, Exchange first, int count,
			Conversations conversations) {
		Map<String, AttributeValue> question = raw(client, table, first.question());
		Map<String, AttributeValue> answer = raw(client, table, first.answer());
		long sessionId = first.session().id().value();
		String text = "We talked about the migration plan, the rollout and the risks of the new index. ".repeat(3);
		List<WriteRequest> batch = new ArrayList<>();
		for (int seq = 3; seq < 3 + count; seq++) {
			Map<String, AttributeValue> item = new HashMap<>(seq % 2 == 1 ? question : answer);
			item.put("sk", AttributeValue.fromS(String.format("M#%06d#%010d", 1, seq)));
			item.put("seq", AttributeValue.fromN(Integer.toString(seq)));
			item.put("id", AttributeValue.fromN(Long.toString((sessionId << 32) | (1L << 20) | seq)));
			item.put("content", AttributeValue.fromS("[{\"type\":\"text\",\"text\":\"" + text + seq + "\"}]"));
			item.put("token_count", AttributeValue.fromN("60"));
			if (seq % 2 == 0) {
				item.put("reply_to", AttributeValue.fromN(Long.toString((sessionId << 32) | (1L << 20) | (seq - 1))));
			}
			batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
			if (batch.size() == 25) {
				write(client, table, batch);
				batch = new ArrayList<>();
			}
		}
		if (!batch.isEmpty()) {
			write(client, table, batch);
		}
		client.updateItem(request -> request.tableName(table)
			.key(Map.of("pk", AttributeValue.fromS("S#" + sessionId), "sk", AttributeValue.fromS("A")))
			.updateExpression("ADD seq_1 :n, message_count :n")
			.expressionAttributeValues(Map.of(":n", AttributeValue.fromN(Integer.toString(count)))));
	}

	private static void write(DynamoDbClient client, String table, List<WriteRequest> batch) {
		Map<String, List<WriteRequest>> pending = Map.of(table, batch);
		while (!pending.isEmpty()) {
			Map<String, List<WriteRequest>> request = pending;
			var response = client.batchWriteItem(builder -> builder.requestItems(request));
			pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
		}
	}

	private static Map<String, AttributeValue> raw(DynamoDbClient client, String table, StoredMessage message) {
		return client
			.getItem(
					request -> request.tableName(table)
						.key(Map.of("pk", AttributeValue.fromS("S#" + message.session().value()), "sk",
								AttributeValue.fromS(String.format("M#%06d#%010d", message.topic(), message.seq())))))
			.item();
	}

}
