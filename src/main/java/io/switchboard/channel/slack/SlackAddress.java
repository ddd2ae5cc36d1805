package io.switchboard.channel.slack;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Where a Slack delivery goes. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({ @JsonSubTypes.Type(value = SlackAddress.Thread.class, name = "thread"),
		@JsonSubTypes.Type(value = SlackAddress.Respond.class, name = "respond") })
sealed interface SlackAddress {

	/** The lane: a thread's deliveries go in order. */
	String lane();

	/**
	 * A thread (or, with no {@code thread}, the channel itself: an image job's status
	 * message then starts the thread).
	 */
	record Thread(String channel, String thread) implements SlackAddress {

		@Override
		public String lane() {
			return channel + ":" + (thread == null ? "" : thread);
		}

	}

	/**
	 * Visible only to one person, through a slash command's or button's
	 * {@code response_url} (good for five answers within 30 minutes).
	 */
	record Respond(String url, String channel) implements SlackAddress {

		@Override
		public String lane() {
			return "respond:" + channel;
		}

	}

}
