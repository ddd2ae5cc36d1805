package io.switchboard.channel.slack;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What the channel keeps of a Slack request between acknowledging it and doing the work:
 * the payload of a {@link io.switchboard.channel.ChannelInbox} entry, as JSON.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({ @JsonSubTypes.Type(value = SlackInbound.Message.class, name = "message"),
		@JsonSubTypes.Type(value = SlackInbound.Command.class, name = "command"),
		@JsonSubTypes.Type(value = SlackInbound.Action.class, name = "action"),
		@JsonSubTypes.Type(value = SlackInbound.HomeOpened.class, name = "home") })
sealed interface SlackInbound {

	/**
	 * A message in a channel, group, DM or multi-person DM.
	 *
	 * @param channelType {@code channel}, {@code group}, {@code im} or {@code mpim}
	 * @param threadTs the thread's root, or null for a top-level message
	 */
	record Message(String channel, String channelType, String user, String botId, String text, String ts,
			String threadTs, List<FileRef> files) implements SlackInbound {

		public Message {
			files = files == null ? List.of() : List.copyOf(files);
		}

		boolean direct() {
			return "im".equals(channelType);
		}

	}

	/**
	 * A file shared with a message; {@code url} is its private download URL when known.
	 */
	record FileRef(String id, String name, String mimetype, String url) {
	}

	/** A slash command. */
	record Command(String command, String text, String user, String userName, String channel, String channelName,
			String responseUrl) implements SlackInbound {
	}

	/**
	 * A button pressed on one of the bot's messages.
	 *
	 * @param messageTs the message the button is on
	 * @param threadTs that message's thread, or null when it is not in one
	 * @param ephemeral whether the message was visible only to the user
	 */
	record Action(String user, String userName, String channel, String messageTs, String threadTs, boolean ephemeral,
			String responseUrl, String actionId, String value) implements SlackInbound {
	}

	/** A user opened the App Home tab. */
	record HomeOpened(String user) implements SlackInbound {
	}

}
