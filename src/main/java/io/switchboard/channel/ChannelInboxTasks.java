package io.switchboard.channel;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The inbox's background tasks: processing an event with its platform's handler (retried
 * with backoff when it fails), and forgetting event ids older than a week.
 */
@Configuration(proxyBeanMethods = false)
class ChannelInboxTasks {

	private static final Logger log = LoggerFactory.getLogger(ChannelInboxTasks.class);

	private static final Duration KEEP_EVENT_IDS = Duration.ofDays(7);

	@Bean
	OneTimeTask<String> channelInboundEventTask(List<InboundEventHandler> handlers, ObjectMapper json) {
		Map<String, InboundEventHandler> byPlatform = handlers.stream()
			.collect(Collectors.toMap(InboundEventHandler::platform, Function.identity()));
		return Tasks.oneTime(ChannelInbox.TASK, String.class)
			.onFailure(new FailureHandler.MaxRetriesFailureHandler<>(5,
					new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(2))))
			.execute((instance, context) -> {
				JsonNode envelope;
				try {
					envelope = json.readTree(instance.getData());
				}
				catch (JsonProcessingException corrupt) {
					log.error("dropping an unreadable inbound event {}", instance.getId(), corrupt);
					return;
				}
				String platform = envelope.path("platform").asText();
				InboundEventHandler handler = byPlatform.get(platform);
				if (handler == null) {
					log.warn("no handler for {} events; dropping {}", platform, instance.getId());
					return;
				}
				try {
					handler.handle(envelope.path("eventId").asText(), envelope.path("payload").asText());
				}
				catch (RuntimeException failure) {
					throw failure;
				}
				catch (Exception failure) {
					throw new IllegalStateException(failure);
				}
			});
	}

	@Bean
	RecurringTask<Void> inboundEventIdCleanupTask(JdbcClient jdbc, Clock clock) {
		return Tasks.recurring("channel-inbound-event-cleanup", FixedDelay.ofHours(1))
			.execute((instance, context) -> jdbc.sql("DELETE FROM inbound_events WHERE received_at < ?")
				.param(clock.instant().minus(KEEP_EVENT_IDS).toEpochMilli())
				.update());
	}

}
