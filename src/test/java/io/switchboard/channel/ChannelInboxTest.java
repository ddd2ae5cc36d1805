package io.switchboard.channel;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.switchboard.testsupport.IntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events are taken in once and processed in the background, with retries when processing
 * fails.
 */
@IntegrationTest
class ChannelInboxTest {

	static final List<String> handled = new CopyOnWriteArrayList<>();

	static final AtomicInteger flakyAttempts = new AtomicInteger();

	@TestConfiguration
	static class Handlers {

		@Bean
		InboundEventHandler recordingHandler() {
			return new InboundEventHandler() {
				@Override
				public String platform() {
					return "test";
				}

				@Override
				public void handle(String eventId, String payload) {
					handled.add(eventId + "=" + payload);
				}
			};
		}

		@Bean
		InboundEventHandler flakyHandler() {
			return new InboundEventHandler() {
				@Override
				public String platform() {
					return "flaky";
				}

				@Override
				public void handle(String eventId, String payload) {
					if (flakyAttempts.incrementAndGet() < 2) {
						throw new IllegalStateException("the platform is down for a moment");
					}
					handled.add("flaky:" + eventId);
				}
			};
		}

	}

	@Autowired
	ChannelInbox inbox;

	@Test
	void anEventIsTakenInOnceAndProcessedInTheBackground() {
		String id = UUID.randomUUID().toString();
		assertThat(inbox.accept("test", id, "{\"text\":\"hi\"}")).isTrue();
		assertThat(inbox.accept("test", id, "{\"text\":\"hi\"}")).isFalse();
		assertThat(inbox.seen("test", id)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains(id + "={\"text\":\"hi\"}"));
		assertThat(handled.stream().filter(entry -> entry.startsWith(id))).hasSize(1);
		// the same id on another platform is another event
		assertThat(inbox.accept("other", id, "{}")).isTrue();
	}

	@Test
	void aFailedEventIsRetried() {
		String id = UUID.randomUUID().toString();
		assertThat(inbox.accept("flaky", id, "{}")).isTrue();
		await().atMost(Duration.ofSeconds(20)).until(() -> handled.contains("flaky:" + id));
		assertThat(flakyAttempts.get()).isGreaterThanOrEqualTo(2);
	}

}
