package io.switchboard.channel.slack;

import java.time.Clock;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Slack channel keeps, on every supported database: each dialect's test extends
 * this and points the application at its database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@ActiveProfiles("test")
abstract class SlackStoreContract {

	@Autowired
	JdbcClient jdbc;

	SlackStore store;

	String channel;

	@BeforeEach
	void store() {
		store = new SlackStore(jdbc, Clock.systemUTC());
		channel = "C" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
	}

	@Test
	void theFirstEventClaimsAMessageItsRetryResumesAndAnyOtherIsADuplicate() {
		assertThat(store.claim(channel, "1.000001", "1.000001", "event:Ev1"))
			.isInstanceOf(SlackStore.Claim.Fresh.class);
		assertThat(store.claim(channel, "1.000001", "1.000001", "event:Ev1"))
			.isEqualTo(new SlackStore.Claim.Resumed(null));
		store.replyPosted(channel, "1.000001", "1.000002");
		// a later reply does not replace the placeholder a retry must reuse
		store.replyPosted(channel, "1.000001", "1.000009");
		assertThat(store.claim(channel, "1.000001", "1.000001", "event:Ev1"))
			.isEqualTo(new SlackStore.Claim.Resumed("1.000002"));
		// the same message as an app_mention event
		assertThat(store.claim(channel, "1.000001", "1.000001", "event:Ev2"))
			.isInstanceOf(SlackStore.Claim.Duplicate.class);

		store.completed(channel, "1.000001");
		assertThat(store.claim(channel, "1.000001", "1.000001", "event:Ev1"))
			.isInstanceOf(SlackStore.Claim.Duplicate.class);
		// the same ts in another channel is another message
		assertThat(store.claim(channel + "X", "1.000001", "1.000001", "event:Ev3"))
			.isInstanceOf(SlackStore.Claim.Fresh.class);
	}

	@Test
	void threadsTheBotAnsweredInAreKnown() {
		assertThat(store.answeredInThread(channel, "2.000001")).isFalse();
		store.claim(channel, "2.000005", "2.000001", "event:Ev5");
		assertThat(store.answeredInThread(channel, "2.000001")).isTrue();
		assertThat(store.answeredInThread(channel, "2.000005")).isFalse();
	}

	@Test
	void anImageJobsMessageIsPostedAndDeliveredOnce() {
		long job = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
		assertThat(store.imagePost(job)).isEmpty();
		assertThat(store.claimImagePost(job, channel, null)).isTrue();
		assertThat(store.claimImagePost(job, channel, null)).isFalse();
		store.imageStatusPosted(job, "3.000001", "3.000001");
		assertThat(store.imagePost(job))
			.hasValue(new SlackStore.ImagePost(job, channel, "3.000001", "3.000001", false));
		assertThat(store.markImageDelivered(job)).isTrue();
		assertThat(store.markImageDelivered(job)).isFalse();
		assertThat(store.imagePost(job).orElseThrow().delivered()).isTrue();
		store.unmarkImageDelivered(job);
		assertThat(store.markImageDelivered(job)).isTrue();
	}

}
