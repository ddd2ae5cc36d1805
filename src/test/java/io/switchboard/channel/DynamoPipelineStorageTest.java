package io.switchboard.channel;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.switchboard.storage.DynamoTable;
import io.switchboard.testsupport.Dynalite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

import org.springframework.beans.factory.annotation.Autowired;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline's rows on DynamoDB (dynalite), in a fresh table. Skips with a message when
 * dynalite does not answer, unless CI makes it mandatory.
 */
class DynamoPipelineStorageTest extends PipelineStorageContract {

	@BeforeAll
	static void requireDynamo() {
		Dynalite.requireOrSkip();
	}

	@DynamicPropertySource
	static void dynamo(DynamicPropertyRegistry registry) {
		Dynalite.freshTable(registry);
		// an intake's claim on an event holds as long as a turn's lease
		registry.add("switchboard.channel.turn-lease", () -> "1s");
		registry.add("switchboard.channel.recovery-interval", () -> "500ms");
	}

	@Autowired
	DynamoTable table;

	/**
	 * A redelivery after an intake died before writing its turn (its claim ran out) takes
	 * the event in again; after one that died with its turn written, the event is in, and
	 * recovery answers that turn.
	 */
	@Test
	void aRedeliveryAfterAnIntakeDiedCompletesIt() {
		String beforeTurn = UUID.randomUUID().toString();
		leftTaking(beforeTurn, null);
		assertThat(events.seen(platform, beforeTurn)).isFalse();
		assertThat(units.inOne(() -> events.record(platform, beforeTurn, now))).isTrue();
		assertThat(events.seen(platform, beforeTurn)).isTrue();

		String afterTurn = UUID.randomUUID().toString();
		TurnStore.Row turn = turns.insert(pendingAnswer(), 1, platform, "lane", 1, "provider", "dead-node",
				System.currentTimeMillis(), now);
		leftTaking(afterTurn, turn.id());
		assertThat(units.inOne(() -> events.record(platform, afterTurn, now))).isFalse();
		assertThat(events.seen(platform, afterTurn)).isTrue();
	}

	/**
	 * A claim as an intake leaves it when its process dies: taking, its lease run out.
	 */
	private void leftTaking(String key, Long turn) {
		Map<String, AttributeValue> item = new HashMap<>(DynamoTable.key(DynamoInboundEvents.item(platform, key), "A"));
		item.put("state", DynamoTable.s("taking"));
		item.put("token", DynamoTable.s("dead"));
		item.put("until", DynamoTable.n(System.currentTimeMillis() - 1));
		item.put("received_at", DynamoTable.n(now));
		if (turn != null) {
			item.put("turn", DynamoTable.n(turn));
		}
		table.put(PutItemRequest.builder().item(item));
	}

	/** Many nodes share a table: a turn's lease always has to run out. */
	@Test
	void aTableHasManyNodes() {
		assertThat(turns.singleNode()).isFalse();
	}

	/**
	 * A second intake of the same event while the first is still under way waits for it,
	 * and is then a duplicate.
	 */
	@Test
	void aSecondIntakeOfAnEventUnderWayWaitsForTheFirst() throws Exception {
		String key = java.util.UUID.randomUUID().toString();
		java.util.concurrent.CountDownLatch claimed = new java.util.concurrent.CountDownLatch(1);
		java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
		try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
			var first = threads.submit(() -> units.inOne(() -> {
				boolean taken = events.record(platform, key, now);
				claimed.countDown();
				await(finish);
				return taken;
			}));
			claimed.await();
			var second = threads.submit(() -> units.inOne(() -> events.record(platform, key, now)));
			Thread.sleep(300);
			assertThat(second.isDone()).as("the second intake waits").isFalse();
			finish.countDown();
			assertThat(first.get()).isTrue();
			assertThat(second.get()).isFalse();
		}
	}

	private static void await(java.util.concurrent.CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException stopped) {
			Thread.currentThread().interrupt();
		}
	}

}
