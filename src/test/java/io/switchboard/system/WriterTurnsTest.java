package io.switchboard.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The writer's turn goes to urgent writers first, in arrival order within each kind, and
 * the others still get theirs.
 */
class WriterTurnsTest {

	@Test
	void urgentWritersGoBeforeOthersThatCameEarlier() throws Exception {
		WriterTurns turns = new WriterTurns();
		turns.lock(false);
		List<String> order = Collections.synchronizedList(new ArrayList<>());
		List<Thread> writers = new ArrayList<>();
		// queued in this order: two others, then two urgent ones
		for (String name : List.of("other-1", "other-2", "urgent-1", "urgent-2")) {
			int before = turns.waiting();
			writers.add(Thread.ofVirtual().start(() -> {
				turns.lock(name.startsWith("urgent"));
				order.add(name);
				turns.unlock();
			}));
			await().atMost(Duration.ofSeconds(10)).until(() -> turns.waiting() == before + 1);
		}
		turns.unlock();
		for (Thread writer : writers) {
			writer.join(Duration.ofSeconds(10));
		}
		assertThat(order).containsExactly("urgent-1", "urgent-2", "other-1", "other-2");
		assertThat(turns.waiting()).isZero();
	}

	@Test
	void aSteadyStreamOfUrgentWritersDoesNotStarveTheOthers() throws Exception {
		WriterTurns turns = new WriterTurns();
		turns.lock(true);
		List<String> order = Collections.synchronizedList(new ArrayList<>());
		List<Thread> writers = new ArrayList<>();
		writers.add(queue(turns, "other", false, order));
		for (int i = 0; i < WriterTurns.URGENT_IN_A_ROW + 4; i++) {
			writers.add(queue(turns, "urgent-" + i, true, order));
		}
		turns.unlock();
		for (Thread writer : writers) {
			writer.join(Duration.ofSeconds(10));
		}
		// the turn just released counted as none: the other goes after at most
		// URGENT_IN_A_ROW urgent ones
		assertThat(order.indexOf("other")).isEqualTo(WriterTurns.URGENT_IN_A_ROW);
		assertThat(order).hasSize(WriterTurns.URGENT_IN_A_ROW + 5);
	}

	@Test
	void theHolderMayTakeItAgainAndOnlyTheHolderGivesItBack() throws Exception {
		WriterTurns turns = new WriterTurns();
		turns.lock(false);
		turns.lock(true);
		CountDownLatch got = new CountDownLatch(1);
		Thread other = Thread.ofVirtual().start(() -> {
			turns.lock(false);
			got.countDown();
			turns.unlock();
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> turns.waiting() == 1);
		Thread stranger = Thread.ofVirtual()
			.start(() -> assertThatThrownBy(turns::unlock).isInstanceOf(IllegalMonitorStateException.class));
		stranger.join(Duration.ofSeconds(10));
		turns.unlock();
		assertThat(got.getCount()).as("still held once").isEqualTo(1);
		turns.unlock();
		other.join(Duration.ofSeconds(10));
		assertThat(got.getCount()).isZero();
	}

	private static Thread queue(WriterTurns turns, String name, boolean urgent, List<String> order) {
		int before = turns.waiting();
		Thread writer = Thread.ofVirtual().start(() -> {
			turns.lock(urgent);
			order.add(name);
			turns.unlock();
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> turns.waiting() == before + 1);
		return writer;
	}

}
