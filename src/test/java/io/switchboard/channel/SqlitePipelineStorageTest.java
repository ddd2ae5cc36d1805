package io.switchboard.channel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pipeline's rows on an SQLite file in a temp folder (see application-test.yml). */
class SqlitePipelineStorageTest extends PipelineStorageContract {

	/** An SQLite file has one node: its first recovery takes every turn at once. */
	@Test
	void anSqliteFileHasOneNode() {
		assertThat(turns.singleNode()).isTrue();
	}

	/** In SQL a unit is a transaction: one that fails keeps nothing. */
	@Test
	void aFailedUnitKeepsNoneOfItsDeliveriesAndTurns() {
		int turnsBefore = turns.count();
		long answer = pendingAnswer();
		assertThatThrownBy(() -> units.inOne(() -> {
			long id = deliveries
				.insert(platform, "answer:" + answer, "lane", "{}", "{}", DeliveryStore.HELD, null, null, now)
				.orElseThrow();
			turns.insert(answer, id, platform, "lane", 7, "provider", "node-a", now + 10_000, now);
			throw new IllegalStateException("the intake failed");
		})).hasMessage("the intake failed");

		assertThat(deliveries.findId(platform, "answer:" + answer)).isEmpty();
		assertThat(turns.count()).isEqualTo(turnsBefore);
	}

}
