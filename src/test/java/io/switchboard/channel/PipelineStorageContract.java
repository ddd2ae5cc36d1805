package io.switchboard.channel;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.SessionChoice;
import io.switchboard.conversation.User;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The channel pipeline's own rows (event keys, deliveries, turns) behave the same on
 * every store: each store's test extends this and points the application at it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@ActiveProfiles("test")
abstract class PipelineStorageContract {

	@Autowired
	InboundEvents events;

	@Autowired
	DeliveryStore deliveries;

	@Autowired
	TurnStore turns;

	@Autowired
	PipelineTransactions units;

	@Autowired
	Conversations conversations;

	final long now = System.currentTimeMillis();

	/** A platform of this test's own, so that what is due is only this test's. */
	final String platform = "p" + UUID.randomUUID().toString().substring(0, 8);

	@Test
	void anEventIsTakenInOnceAndAFailedIntakeLeavesItsKeyFree() {
		String key = UUID.randomUUID().toString();

		assertThatThrownBy(() -> units.inOne(() -> {
			assertThat(events.record(platform, key, now)).isTrue();
			throw new IllegalStateException("the intake failed");
		})).hasMessage("the intake failed");
		assertThat(events.seen(platform, key)).isFalse();

		assertThat(units.inOne(() -> events.record(platform, key, now))).isTrue();
		assertThat(events.seen(platform, key)).isTrue();
		assertThat(units.inOne(() -> events.record(platform, key, now))).isFalse();
		assertThat(events.seen("other", key)).isFalse();
	}

	@Test
	void aDeliveryIsWrittenOnceByItsKey() {
		Optional<Long> first = units.inOne(() -> deliveries.insert(platform, "event:e1", "lane-1", "{\"to\":1}",
				"{\"a\":1}", DeliveryStore.PENDING, null, null, now));
		Optional<Long> again = deliveries.insert(platform, "event:e1", "lane-1", "{}", "{\"a\":2}",
				DeliveryStore.PENDING, null, null, now);

		assertThat(first).isPresent();
		assertThat(again).isEmpty();
		assertThat(deliveries.findId(platform, "event:e1")).isEqualTo(first);
		DeliveryStore.Row row = deliveries.find(first.get()).orElseThrow();
		assertThat(row.content()).isEqualTo("{\"a\":1}");
		assertThat(row.address()).isEqualTo("{\"to\":1}");
		assertThat(row.lane()).isEqualTo("lane-1");
		assertThat(row.state()).isEqualTo(DeliveryStore.PENDING);
		assertThat(row.version()).isZero();
		assertThat(row.sentAt()).isNull();
	}

	@Test
	void aDueDeliveryIsClaimedByOneSenderAtATimeAndMarkedSent() {
		long id = deliveries.insert(platform, "event:c", "lane", "{}", "{}", DeliveryStore.PENDING, null, null, now)
			.orElseThrow();
		assertThat(deliveries.due(List.of(platform), now, 10)).extracting(DeliveryStore.Due::id).containsExactly(id);

		assertThat(deliveries.claim(id, "node-a", now + 60_000, now)).isTrue();
		assertThat(deliveries.claim(id, "node-b", now + 60_000, now + 1)).isFalse();
		assertThat(deliveries.due(List.of(platform), now + 1, 10)).isEmpty();
		assertThat(deliveries.find(id).orElseThrow().claimedBy("node-a", now + 1)).isTrue();
		// a claim that ran out is anybody's
		assertThat(deliveries.claim(id, "node-b", now + 120_000, now + 60_000)).isTrue();

		deliveries.sent(id, 0, "{\"posted\":1}", "shown text", now + 5_000, now + 60_001);
		DeliveryStore.Row sent = deliveries.find(id).orElseThrow();
		assertThat(sent.state()).isEqualTo(DeliveryStore.SENT);
		assertThat(sent.refs()).isEqualTo("{\"posted\":1}");
		assertThat(sent.shown()).isEqualTo("shown text");
		assertThat(sent.sentAt()).isEqualTo(now + 60_001);
		assertThat(sent.claimedBy()).isNull();
		assertThat(deliveries.claim(id, "node-c", now + 200_000, now + 100_000)).isFalse();
		assertThat(deliveries.due(List.of(platform), now + 100_000, 10)).isEmpty();
	}

	@Test
	void aDeliveryThatIsNotDueYetIsNeitherListedNorClaimed() {
		long id = deliveries.insert(platform, "event:later", "lane", "{}", "{}", DeliveryStore.PENDING, null, null, now)
			.orElseThrow();
		deliveries.retry(id, 1, now + 2_000, "platform busy", now);

		DeliveryStore.Row row = deliveries.find(id).orElseThrow();
		assertThat(row.attempts()).isEqualTo(1);
		assertThat(row.nextAt()).isEqualTo(now + 2_000);
		assertThat(deliveries.due(List.of(platform), now + 1_000, 10)).isEmpty();
		assertThat(deliveries.claim(id, "node-a", now + 60_000, now + 1_000)).isFalse();
		assertThat(deliveries.due(List.of(platform), now + 2_000, 10)).extracting(DeliveryStore.Due::id)
			.containsExactly(id);
	}

	@Test
	void aHeldAnswerIsReleasedOnceWithItsLane() {
		long id = deliveries.insert(platform, "answer:held", "lane-h", "{}", "{}", DeliveryStore.HELD, null, null, now)
			.orElseThrow();
		assertThat(deliveries.due(List.of(platform), now, 10)).isEmpty();
		assertThat(deliveries.claim(id, "node-a", now + 60_000, now)).isFalse();

		assertThat(units.inOne(() -> deliveries.release(id, "node-a", now + 60_000, now + 1))).contains("lane-h");
		assertThat(deliveries.release(id, null, null, now + 2)).isEmpty();

		DeliveryStore.Row row = deliveries.find(id).orElseThrow();
		assertThat(row.state()).isEqualTo(DeliveryStore.PENDING);
		assertThat(row.claimedBy("node-a", now + 2)).isTrue();
	}

	/** The release a caller that knows the platform makes: the same outcome. */
	@Test
	void aHeldAnswerReleasedOnItsPlatformIsReleasedOnceWithItsLane() {
		long id = deliveries
			.insert(platform, "answer:held-on", "lane-p", "{}", "{}", DeliveryStore.HELD, null, null, now)
			.orElseThrow();

		assertThat(units.inOne(() -> deliveries.release(id, platform, null, null, now + 1))).contains("lane-p");
		assertThat(deliveries.release(id, platform, "node-a", now + 60_000, now + 2)).isEmpty();
		assertThat(deliveries.release(id + 1_000, platform, null, null, now + 2)).isEmpty();

		DeliveryStore.Row row = deliveries.find(id).orElseThrow();
		assertThat(row.state()).isEqualTo(DeliveryStore.PENDING);
		assertThat(row.claimedBy()).isNull();
		assertThat(deliveries.due(List.of(platform), now + 1, 10)).extracting(DeliveryStore.Due::id).contains(id);
	}

	@Test
	void aChangeDuringASendMakesItDueAgainAfterThePace() {
		long id = deliveries.upsertChanged(platform, "image:1", "lane", "{}", "{\"job\":1}", false, 3_000, now);
		assertThat(deliveries.claim(id, "node-a", now + 60_000, now)).isTrue();
		// the job changes while its first version is being sent
		assertThat(deliveries.upsertChanged(platform, "image:1", "lane", "{}", "{\"job\":1}", false, 3_000, now + 10))
			.isEqualTo(id);
		deliveries.sent(id, 0, null, null, now + 3_020, now + 20);

		DeliveryStore.Row row = deliveries.find(id).orElseThrow();
		assertThat(row.state()).isEqualTo(DeliveryStore.PENDING);
		assertThat(row.version()).isEqualTo(1);
		assertThat(row.nextAt()).isEqualTo(now + 3_020);
		assertThat(row.claimedBy()).isNull();

		// sent again, then changed: not sooner than the pace after that send
		deliveries.sent(id, 1, null, null, now + 6_000, now + 3_100);
		assertThat(deliveries.find(id).orElseThrow().state()).isEqualTo(DeliveryStore.SENT);
		deliveries.upsertChanged(platform, "image:1", "lane", "{}", "{\"job\":1}", false, 3_000, now + 3_200);
		assertThat(deliveries.find(id).orElseThrow().nextAt()).isEqualTo(now + 6_100);
		deliveries.upsertChanged(platform, "image:1", "lane", "{}", "{\"job\":1}", true, 3_000, now + 3_300);
		assertThat(deliveries.find(id).orElseThrow().nextAt()).isEqualTo(now + 3_300);
	}

	@Test
	void aDeliveryGivenUpOrDroppedIsDone() {
		long failed = deliveries.insert(platform, "event:f", "lane", "{}", "{}", DeliveryStore.PENDING, null, null, now)
			.orElseThrow();
		long dropped = deliveries
			.insert(platform, "event:d", "lane", "{}", "{}", DeliveryStore.PENDING, null, null, now)
			.orElseThrow();

		deliveries.fail(failed, "x".repeat(5_000), now);
		deliveries.drop(dropped, now);

		assertThat(deliveries.find(failed).orElseThrow().state()).isEqualTo(DeliveryStore.FAILED);
		assertThat(deliveries.find(dropped).orElseThrow().state()).isEqualTo(DeliveryStore.SENT);
		assertThat(deliveries.due(List.of(platform), now + 1, 10)).isEmpty();
	}

	@Test
	void aTurnIsHeldByItsNodeUntilItsLeaseRunsOutAndThenTakenOverOnce() {
		String node = "node-" + UUID.randomUUID();
		String other = "other-" + UUID.randomUUID();
		long answer = pendingAnswer();
		TurnStore.Row turn = units
			.inOne(() -> turns.insert(answer, 12, platform, "lane-t", 13, "provider", node, now + 1_000, now));
		assertThat(turn.attempts()).isEqualTo(1);

		assertThat(orphaned(now + 500, turn.id())).isEmpty();
		assertThat(turns.takeOver(turn.id(), other, now + 2_000, now + 500, false)).isFalse();
		assertThat(turns.renew(node, now + 5_000)).isEqualTo(1);
		assertThat(orphaned(now + 2_000, turn.id())).isEmpty();

		TurnStore.Row orphan = orphaned(now + 6_000, turn.id()).orElseThrow();
		assertThat(orphan).isEqualTo(turn);
		assertThat(turns.takeOver(turn.id(), other, now + 10_000, now + 6_000, false)).isTrue();
		assertThat(turns.takeOver(turn.id(), "third", now + 10_000, now + 6_000, false)).isFalse();
		assertThat(turns.renew(node, now + 20_000)).isZero();
		assertThat(orphaned(now + 11_000, turn.id()).orElseThrow().attempts()).isEqualTo(2);

		assertThat(turns.letGo(other)).isEqualTo(1);
		assertThat(orphaned(now + 6_001, turn.id())).isPresent();

		// one turn let go whoever holds it (a hand-over that failed): at once an orphan
		assertThat(turns.takeOver(turn.id(), other, now + 50_000, now + 20_000, false)).isTrue();
		assertThat(orphaned(now + 20_001, turn.id())).isEmpty();
		assertThat(turns.letGoOne(turn.id())).isTrue();
		assertThat(orphaned(now + 20_001, turn.id())).isPresent();
		units.inOne(() -> {
			turns.delete(turn.id());
			return null;
		});
		assertThat(orphaned(now + 100_000, turn.id())).isEmpty();
		assertThat(turns.letGoOne(turn.id())).as("a finished turn stays finished").isFalse();
	}

	/**
	 * A worker takes the hold of the node that handed the turn over, and keeps it while
	 * it renews it: the same hand-over delivered to a second worker is refused, until the
	 * first's lease runs out; a finished turn is never claimed.
	 */
	@Test
	void aHandedOverTurnIsClaimedFromItsHolderOnceWhileItsClaimantRenewsIt() {
		String webhook = "webhook-" + UUID.randomUUID();
		String worker = "worker-" + UUID.randomUUID();
		String second = "second-" + UUID.randomUUID();
		long answer = pendingAnswer();
		TurnStore.Row turn = units
			.inOne(() -> turns.insert(answer, 14, platform, "lane-c", 15, "provider", webhook, now + 1_000, now));

		assertThat(turns.claim(turn.id(), webhook, worker, now + 1_500, now + 10)).isTrue();
		assertThat(turns.claim(turn.id(), webhook, second, now + 1_500, now + 20)).as("held by the first worker")
			.isFalse();
		assertThat(turns.claim(turn.id(), null, second, now + 1_500, now + 20)).isFalse();
		assertThat(turns.renew(worker, now + 3_000)).isEqualTo(1);
		assertThat(turns.renew(webhook, now + 3_000)).as("the hand-over's hold is gone").isZero();
		assertThat(turns.claim(turn.id(), webhook, second, now + 3_500, now + 2_000)).as("renewed").isFalse();
		assertThat(turns.claim(turn.id(), webhook, worker, now + 3_500, now + 2_000)).as("its own").isTrue();
		assertThat(orphaned(now + 3_000, turn.id())).isEmpty();

		// the first worker died: once its lease ran out, the next delivery runs the turn
		assertThat(turns.claim(turn.id(), webhook, second, now + 6_000, now + 4_000)).isTrue();
		assertThat(orphaned(now + 7_000, turn.id()).map(TurnStore.Row::attempts)).as("not counted here").contains(1);
		units.inOne(() -> {
			turns.delete(turn.id());
			return null;
		});
		assertThat(turns.claim(turn.id(), webhook, worker, now + 100_000, now + 90_000))
			.as("a finished turn stays finished")
			.isFalse();
	}

	/** A question just stored, with its answer pending: the answer's id. */
	long pendingAnswer() {
		User user = conversations.identify(new PlatformUserId("line", UUID.randomUUID().toString()), "Tester");
		SessionChoice choice = conversations.chooseSession(user, Place.direct("line"), null, "a question");
		return conversations.ask(user, choice, List.of(new MessagePart.Text("a question")), 3, null).answerId();
	}

	private Optional<TurnStore.Row> orphaned(long at, long id) {
		return turns.orphaned(at, false, 1_000).stream().filter(row -> row.id() == id).findFirst();
	}

}
