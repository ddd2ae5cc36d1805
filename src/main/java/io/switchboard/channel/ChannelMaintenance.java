package io.switchboard.channel;

import java.time.Clock;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Forgets what the pipeline no longer needs, once an hour on one node: de-duplication
 * keys and finished deliveries older than {@code switchboard.channel.keep}.
 */
@Configuration(proxyBeanMethods = false)
class ChannelMaintenance {

	private static final Logger log = LoggerFactory.getLogger(ChannelMaintenance.class);

	@Bean
	RecurringTask<Void> channelCleanupTask(InboundEvents events, Deliveries deliveries, ChannelProperties properties,
			Clock clock) {
		return Tasks.recurring("channel-cleanup", FixedDelay.ofHours(1)).execute((instance, context) -> {
			int keys = events.forget(clock.instant().minus(properties.keep()).toEpochMilli());
			int sent = deliveries.forgetOld();
			log.debug("forgot {} event keys and {} finished deliveries", keys, sent);
		});
	}

}
