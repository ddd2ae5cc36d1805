package io.switchboard.channel.discord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway lease rules, which must hold on every supported database: one holder per
 * shard, renewals keep it, an expired lease can be taken over, and of many nodes racing
 * for a free shard exactly one wins.
 */
abstract class GatewayLeasesContract {

	static final Duration TTL = Duration.ofSeconds(30);

	final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

	GatewayLeases leases;

	abstract DataSource dataSource();

	@BeforeEach
	void leases() {
		leases = new GatewayLeases(JdbcClient.create(dataSource()), clock);
	}

	@Test
	void theFirstNodeTakesAFreeShardAndOthersAreRefusedWhileItHoldsIt() {
		assertThat(leases.tryAcquire(0, "node-a", TTL)).isTrue();
		assertThat(leases.tryAcquire(0, "node-b", TTL)).isFalse();
		assertThat(leases.holder(0)).contains("node-a");
		clock.advance(TTL.minusSeconds(1));
		assertThat(leases.tryAcquire(0, "node-b", TTL)).isFalse();
	}

	@Test
	void renewingKeepsTheLeaseBeyondItsFirstExpiry() {
		long epoch = leases.acquire(0, "node-a", TTL).orElseThrow();
		for (int i = 0; i < 5; i++) {
			clock.advance(Duration.ofSeconds(10));
			assertThat(leases.renew(0, "node-a", epoch, TTL)).isTrue();
			assertThat(leases.tryAcquire(0, "node-b", TTL)).isFalse();
		}
		assertThat(leases.holder(0)).contains("node-a");
	}

	@Test
	void anExpiredLeaseIsTakenOverAndTheOldHolderLearnsItLostIt() {
		long epoch = leases.acquire(0, "node-a", TTL).orElseThrow();
		clock.advance(TTL);
		assertThat(leases.holder(0)).isEmpty();
		assertThat(leases.tryAcquire(0, "node-b", TTL)).isTrue();
		assertThat(leases.renew(0, "node-a", epoch, TTL)).isFalse();
		assertThat(leases.holder(0)).contains("node-b");
	}

	@Test
	void aHolderThatMissedItsExpiryKeepsTheShardWhenNobodyTookIt() {
		long epoch = leases.acquire(0, "node-a", TTL).orElseThrow();
		clock.advance(TTL.plusSeconds(5));
		assertThat(leases.renew(0, "node-a", epoch, TTL)).isTrue();
		assertThat(leases.tryAcquire(0, "node-b", TTL)).isFalse();
	}

	@Test
	void releasingLetsAnotherNodeTakeTheShardAtOnce() {
		assertThat(leases.tryAcquire(0, "node-a", TTL)).isTrue();
		leases.release(0, "node-b");
		assertThat(leases.holder(0)).contains("node-a");
		leases.release(0, "node-a");
		assertThat(leases.holder(0)).isEmpty();
		assertThat(leases.tryAcquire(0, "node-b", TTL)).isTrue();
	}

	@Test
	void shardsAreLeasedIndependently() {
		assertThat(leases.tryAcquire(0, "node-a", TTL)).isTrue();
		assertThat(leases.tryAcquire(1, "node-b", TTL)).isTrue();
		assertThat(leases.tryAcquire(1, "node-a", TTL)).isFalse();
		assertThat(leases.holder(0)).contains("node-a");
		assertThat(leases.holder(1)).contains("node-b");
	}

	@Test
	void ofManyNodesRacingForAFreeShardExactlyOneWins() throws Exception {
		for (int round = 0; round < 5; round++) {
			int shard = 10 + round;
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Boolean>> attempts = new ArrayList<>();
			try (ExecutorService nodes = Executors.newFixedThreadPool(8)) {
				for (int node = 0; node < 8; node++) {
					String holder = "node-" + node;
					attempts.add(nodes.submit(() -> {
						start.await();
						return leases.tryAcquire(shard, holder, TTL);
					}));
				}
				start.countDown();
				int winners = 0;
				for (Future<Boolean> attempt : attempts) {
					winners += attempt.get() ? 1 : 0;
				}
				assertThat(winners).as("winners of shard " + shard).isEqualTo(1);
			}
		}
	}

	// ------------------------------------------------------------ fencing

	@Test
	void aTakeOverRaisesTheEpochAndARenewalKeepsIt() {
		long first = leases.acquire(0, "node-a", TTL).orElseThrow();
		assertThat(leases.acquire(0, "node-a", TTL)).hasValue(first);
		clock.advance(TTL);
		assertThat(leases.acquire(0, "node-b", TTL)).hasValue(first + 1);
	}

	@Test
	void aHolderThatPausedWhileAnotherHeldAndGaveBackTheShardCannotRenew() {
		// node-a pauses (a long GC) past its lease; node-b takes the shard, then stops
		// and
		// gives it back; node-a wakes up: a timestamp alone would let it carry on
		long paused = leases.acquire(0, "node-a", TTL).orElseThrow();
		clock.advance(TTL.plusSeconds(1));
		assertThat(leases.tryAcquire(0, "node-b", TTL)).isTrue();
		leases.release(0, "node-b");

		assertThat(leases.renew(0, "node-a", paused, TTL)).isFalse();
		assertThatThrownBy(() -> leases.fence(0, "node-a", paused)).isInstanceOf(GatewayLeases.FencedOff.class);
	}

	@Test
	void aWriteOfTheHolderPassesTheFenceUntilAnotherNodeTakesOver() {
		long epochA = leases.acquire(0, "node-a", TTL).orElseThrow();
		leases.fence(0, "node-a", epochA);
		clock.advance(TTL);
		// expired but not taken: node-a's write still stands
		leases.fence(0, "node-a", epochA);
		long epochB = leases.acquire(0, "node-b", TTL).orElseThrow();

		assertThatThrownBy(() -> leases.fence(0, "node-a", epochA)).isInstanceOf(GatewayLeases.FencedOff.class)
			.hasMessageContaining("taken over");
		leases.fence(0, "node-b", epochB);
	}

	@Test
	void aFencedOffWriteLeavesNothingBehind() {
		long epochA = leases.acquire(0, "node-a", TTL).orElseThrow();
		clock.advance(TTL);
		leases.acquire(0, "node-b", TTL).orElseThrow();
		JdbcClient jdbc = JdbcClient.create(dataSource());
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource()));
		jdbc.sql("CREATE TABLE IF NOT EXISTS fenced_writes (what TEXT)").update();

		assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
			jdbc.sql("INSERT INTO fenced_writes (what) VALUES ('stale')").update();
			leases.fence(0, "node-a", epochA);
		})).isInstanceOf(GatewayLeases.FencedOff.class);

		assertThat(jdbc.sql("SELECT COUNT(*) FROM fenced_writes WHERE what = 'stale'").query(Integer.class).single())
			.isZero();
	}

	@Test
	void aTakeOverWaitsForAFencedWriteUnderWayAndFencesTheNextOne() throws Exception {
		long epochA = leases.acquire(0, "node-a", TTL).orElseThrow();
		clock.advance(TTL);
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource()));
		CountDownLatch fenced = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		try (ExecutorService nodes = Executors.newFixedThreadPool(2)) {
			Future<?> write = nodes.submit(() -> transactions.executeWithoutResult(status -> {
				leases.fence(0, "node-a", epochA);
				fenced.countDown();
				await(commit);
			}));
			fenced.await();
			Future<Boolean> takeOver = nodes.submit(() -> leases.tryAcquire(0, "node-b", TTL));
			Thread.sleep(300);
			assertThat(takeOver).as("the take-over waits for the write under way").isNotDone();
			commit.countDown();
			write.get();
			assertThat(takeOver.get()).isTrue();
		}
		assertThatThrownBy(() -> leases.fence(0, "node-a", epochA)).isInstanceOf(GatewayLeases.FencedOff.class);
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}
