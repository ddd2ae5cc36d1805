package io.switchboard.channel.discord;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Where a Discord delivery goes. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({ @JsonSubTypes.Type(value = DiscordAddress.Channel.class, name = "channel"),
		@JsonSubTypes.Type(value = DiscordAddress.Interaction.class, name = "interaction") })
sealed interface DiscordAddress {

	String lane();

	/**
	 * A channel (or DM), optionally as a reply to a message there.
	 *
	 * @param channel the channel's id; 0 when unknown (then the DM of {@code dmUser})
	 * @param replyTo the message answered (its ✍🏻 and 👌 reactions too), or {@code null}
	 * @param dmUser for a DM, whose: Discord opens it again by the user if need be
	 */
	record Channel(long channel, Long replyTo, String dmUser) implements DiscordAddress {

		@Override
		public String lane() {
			return channel != 0 ? Long.toString(channel) : "dm:" + dmUser;
		}

	}

	/**
	 * The private answer to a slash command or button, through its interaction token
	 * (valid for 15 minutes).
	 *
	 * @param deferredReply whether the interaction was answered with a deferred reply
	 * (whose "thinking…" message the first part replaces); else it was a deferred edit of
	 * the button's message, and the answer follows up
	 */
	record Interaction(String token, boolean deferredReply, long channel) implements DiscordAddress {

		@Override
		public String lane() {
			return "interaction:" + channel;
		}

	}

}
