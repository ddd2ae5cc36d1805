package io.switchboard.channel.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.channel.ChannelBacklog;
import io.switchboard.channel.Intake;
import io.switchboard.channel.Taken;

/**
 * Takes Slack's requests in, on Bolt's thread, before they are acknowledged: a message,
 * slash command or button goes through the {@link Intake} under its key (a retry, with
 * {@code X-Slack-Retry-Num} or a Socket Mode {@code retry_attempt}, is recognised there,
 * even after a restart). Opening the App Home republishes it, off Bolt's thread; it is a
 * view, not a conversation.
 */
final class SlackIntake implements ChannelBacklog {

	private static final Logger log = LoggerFactory.getLogger(SlackIntake.class);

	private final Intake intake;

	private final SlackMessages messages;

	private final SlackInteractions interactions;

	private final SlackHome home;

	private final ObjectMapper json;

	SlackIntake(Intake intake, SlackMessages messages, SlackInteractions interactions, SlackHome home,
			ObjectMapper json) {
		this.intake = intake;
		this.messages = messages;
		this.interactions = interactions;
		this.home = home;
		this.json = json;
	}

	@Override
	public String platform() {
		return SlackMessages.PLATFORM;
	}

	/**
	 * Takes one request in.
	 * @param key its key for the kinds that have no better one (a slash command's or
	 * button's trigger id); a message's is its channel and ts
	 */
	void take(String key, SlackInbound inbound) {
		switch (inbound) {
			case SlackInbound.Message message -> {
				// a redelivery gets nothing new from the intake itself; asking first only
				// pays where it saves downloading the message's files
				if (!message.files().isEmpty() && intake.seen(SlackMessages.PLATFORM, SlackMessages.key(message))) {
					log.debug("message {} in {} was taken in before", message.ts(), message.channel());
					return;
				}
				boolean newUser = messages.fromNewUser(message);
				Taken taken = intake.take(messages.inbound(message));
				if (newUser) {
					messages.nameNewUser(taken, message.user());
				}
			}
			case SlackInbound.Command command -> intake.take(interactions.command(key, command));
			case SlackInbound.Action action -> intake.take(interactions.button(key, action));
			case SlackInbound.HomeOpened opened -> Thread.ofVirtual().name("slack-home").start(() -> {
				try {
					home.publish(opened.user());
				}
				catch (RuntimeException failed) {
					log.warn("could not publish the App Home of {}: {}", opened.user(), failed.getMessage());
				}
			});
		}
	}

	/** A request the old inbox had taken in before an upgrade: the same as a new one. */
	@Override
	public void retake(String eventId, String payload) {
		try {
			take(eventId, json.readValue(payload, SlackInbound.class));
		}
		catch (JsonProcessingException unreadable) {
			throw new IllegalArgumentException("an unreadable Slack request " + eventId, unreadable);
		}
	}

}
