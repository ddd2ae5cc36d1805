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

import static org.assertj.core.api.Assertions.assertThat;

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
		assertThat(leases.tryAcquire(0, "node-a", TTL)).isTrue();
		for (int i = 0; i < 5; i++) {
			clock.advance(Duration.ofSeconds(10));
			assertThat(leases.renew(0, "node-a", TTL)).isTrue();
			assertThat(leases.tryAcquire(0, "node-b", TTL)).isFalse();
		}
		assertThat(leases.holder(0)).contains("node-a");
	}

	@Test
	void anExpiredLeaseIsTakenOverAndTheOldHolderLearnsItLostIt() {
		assertThat(leases.tryAcquire(0, "node-a", TTL)).isTrue();
		clock.advance(TTL);
		assertThat(leases.holder(0)).isEmpty();
		assertThat(leases.tryAcquire(0, "node-b", TTL)).isTrue();
		assertThat(leases.renew(0, "node-a", TTL)).isFalse();
		assertThat(leases.holder(0)).contains("node-b");
	}

	@Test
	void aHolderThatMissedItsExpiryKeepsTheShardWhenNobodyTookIt() {
		assertThat(leases.tryAcquire(0, "node-a", TTL)).isTrue();
		clock.advance(TTL.plusSeconds(5));
		assertThat(leases.renew(0, "node-a", TTL)).isTrue();
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

}
