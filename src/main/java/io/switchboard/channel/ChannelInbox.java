package io.switchboard.channel;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;

import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes platform events in exactly once and processes them durably. {@link #accept}
 * records the event's id and schedules its processing in one transaction, so a platform's
 * redelivery is recognised even after a restart, and an event accepted just before the
 * process died is still processed when a node starts again. Webhooks call it and answer
 * at once; the platform's {@link InboundEventHandler} does the work on a background
 * worker.
 */
@Service
public class ChannelInbox {

	static final String TASK = "channel-inbound-event";

	private final JdbcClient jdbc;

	private final SchedulerClient scheduler;

	private final TransactionTemplate transactions;

	private final ObjectMapper json;

	private final Clock clock;

	private final OneTimeTask<String> task;

	ChannelInbox(JdbcClient jdbc, @Lazy SchedulerClient scheduler, TransactionTemplate transactions, ObjectMapper json,
			Clock clock, OneTimeTask<String> channelInboundEventTask) {
		this.jdbc = jdbc;
		this.scheduler = scheduler;
		this.transactions = transactions;
		this.json = json;
		this.clock = clock;
		this.task = channelInboundEventTask;
	}

	/**
	 * Takes an event in: true the first time its id is seen, false for a redelivery
	 * (which must then be acknowledged and otherwise ignored).
	 */
	public boolean accept(String platform, String eventId, String payload) {
		return Boolean.TRUE.equals(transactions.execute(status -> {
			Instant now = clock.instant();
			int inserted = jdbc.sql("""
					INSERT INTO inbound_events (platform, event_id, received_at) VALUES (?, ?, ?)
					ON CONFLICT (platform, event_id) DO NOTHING""")
				.params(platform, eventId, now.toEpochMilli())
				.update();
			if (inserted == 0) {
				return false;
			}
			scheduler.scheduleIfNotExists(task.instance(platform + ":" + eventId, envelope(platform, eventId, payload)),
					now);
			return true;
		}));
	}

	/** Whether an event id has been taken in already. */
	public boolean seen(String platform, String eventId) {
		return jdbc.sql("SELECT COUNT(*) FROM inbound_events WHERE platform = ? AND event_id = ?")
			.params(platform, eventId)
			.query(Integer.class)
			.single() > 0;
	}

	private String envelope(String platform, String eventId, String payload) {
		try {
			return json.writeValueAsString(Map.of("platform", platform, "eventId", eventId, "payload", payload));
		}
		catch (JsonProcessingException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

}
