package io.switchboard.channel;

import org.springframework.context.SmartLifecycle;

/**
 * When the pipeline's parts start and stop, among Spring's lifecycles (higher phases stop
 * first). The web server's graceful shutdown is at {@code DEFAULT_PHASE - 1024}: the
 * turns stop after it, so answers streaming to open requests get the grace period, and
 * the deliveries stop after the turns, so what those finished is still sent.
 */
final class ChannelPhases {

	static final int TURNS = SmartLifecycle.DEFAULT_PHASE - 1100;

	static final int DELIVERIES = SmartLifecycle.DEFAULT_PHASE - 1200;

	private ChannelPhases() {
	}

}
