package io.switchboard.channel.slack;

import java.time.Duration;

import com.slack.api.bolt.App;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.socket_mode.SocketModeClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the Bolt app when the server starts. Over the Events API that is all: Slack
 * calls us, and the app's first check of the bot token ({@code auth.test}) is done before
 * the first request rather than during it. In Socket Mode this server opens the WebSocket
 * to Slack ({@code apps.connections.open} with the app-level token), so no public URL is
 * needed. Connecting happens in the background and is retried with growing pauses, so a
 * Slack outage at start-up does not stop the server; once connected, the client
 * reconnects by itself.
 */
final class SlackConnection implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SlackConnection.class);

	private static final Duration MAX_PAUSE = Duration.ofMinutes(1);

	private final App app;

	private final String appToken;

	private volatile boolean running;

	private volatile SocketModeApp socketMode;

	private volatile Thread connector;

	SlackConnection(App app, String appToken) {
		this.app = app;
		this.appToken = appToken;
	}

	@Override
	public void start() {
		running = true;
		if (appToken == null) {
			Thread.ofVirtual().name("slack-app-start").start(() -> {
				try {
					app.start();
				}
				catch (RuntimeException failed) {
					// Bolt tries again on the first request from Slack
					log.warn("Slack app could not start yet: {}", failed.getMessage());
				}
			});
			return;
		}
		connector = Thread.ofVirtual().name("slack-socket-mode-connect").start(this::connect);
	}

	private void connect() {
		Duration pause = Duration.ofSeconds(1);
		while (running) {
			try {
				SocketModeApp candidate = new SocketModeApp(appToken, SocketModeClient.Backend.JavaWebSocket, app);
				candidate.startAsync();
				socketMode = candidate;
				log.info("Slack Socket Mode connected");
				return;
			}
			catch (Exception failed) {
				log.warn("Slack Socket Mode could not connect ({}); trying again in {}s", failed.getMessage(),
						pause.toSeconds());
			}
			try {
				Thread.sleep(pause);
			}
			catch (InterruptedException stopping) {
				return;
			}
			pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
		}
	}

	@Override
	public void stop() {
		running = false;
		Thread thread = connector;
		if (thread != null) {
			thread.interrupt();
		}
		SocketModeApp connected = socketMode;
		if (connected != null) {
			try {
				connected.close();
			}
			catch (Exception ignored) {
				log.debug("closing Socket Mode: {}", ignored.getMessage());
			}
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** Whether the WebSocket has been opened. */
	boolean connected() {
		return socketMode != null;
	}

}
