package io.switchboard.channel;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Hands the events kept in {@code channel_backlog} at an upgrade to their channels once
 * the server is ready. Another node may do the same at the same time: each event is
 * removed by whoever takes it, and the intake's de-duplication makes a second take
 * harmless.
 */
@Component
class Backlog {

	private static final Logger log = LoggerFactory.getLogger(Backlog.class);

	private final JdbcClient jdbc;

	private final List<ChannelBacklog> channels;

	Backlog(JdbcClient jdbc, List<ChannelBacklog> channels) {
		this.jdbc = jdbc;
		this.channels = channels;
	}

	@EventListener(ApplicationReadyEvent.class)
	void drain() {
		for (ChannelBacklog channel : channels) {
			List<String[]> kept = jdbc.sql("SELECT event_id, payload FROM channel_backlog WHERE platform = ?")
				.param(channel.platform())
				.query((row, i) -> new String[] { row.getString(1), row.getString(2) })
				.list();
			for (String[] event : kept) {
				try {
					channel.retake(event[0], event[1]);
					jdbc.sql("DELETE FROM channel_backlog WHERE platform = ? AND event_id = ?")
						.params(channel.platform(), event[0])
						.update();
				}
				catch (RuntimeException failure) {
					log.warn("could not take {} event {} in again: {}", channel.platform(), event[0],
							failure.toString());
				}
			}
			if (!kept.isEmpty()) {
				log.info("took {} {} events from before the upgrade in again", kept.size(), channel.platform());
			}
		}
	}

}
