package io.switchboard.channel.slack;

import io.switchboard.assistant.InboundMessage;
import io.switchboard.channel.Inbound;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.PlatformUserId;

/**
 * Translates slash commands and the buttons on the bot's messages for the intake.
 * {@code /switchboard <command>} runs one of the shared text commands (and
 * {@code /imagine <prompt>} the image command) with the answer visible only to its user;
 * a button sends its command back as if typed, answered in the thread the button is in
 * (privately when the button was); an image job's button sends the shared
 * {@code /image #id code} command, whose new job shows itself in the thread.
 */
final class SlackInteractions {

	private final SlackApi api;

	private final Conversations conversations;

	private final SlackProperties properties;

	SlackInteractions(SlackApi api, Conversations conversations, SlackProperties properties) {
		this.api = api;
		this.conversations = conversations;
		this.properties = properties;
	}

	Inbound command(String key, SlackInbound.Command command) {
		String arguments = command.text() == null ? "" : SlackText.plain(command.text(), null);
		String text;
		if (command.command().equalsIgnoreCase(properties.imagineCommand())) {
			text = "/imagine " + arguments;
		}
		else if (arguments.isEmpty()) {
			text = "/help";
		}
		else {
			text = arguments.startsWith("/") ? arguments : "/" + arguments;
		}
		Place place = new Place(SlackMessages.PLATFORM, kindOf(command.channel(), command.channelName()),
				command.channel(), null);
		return message(key, command.user(), command.userName(), place, text,
				new SlackAddress.Respond(command.responseUrl(), command.channel()));
	}

	/** A button: an image job's, or one that sends a command back. */
	Inbound button(String key, SlackInbound.Action action) {
		if (action.actionId().startsWith(SlackBolt.IMAGE_ACTION)) {
			String[] value = action.value() == null ? new String[0] : action.value().split(":", 2);
			String command = value.length == 2 ? "/image #" + value[0] + " " + value[1] : "/image";
			String thread = action.threadTs() != null ? action.threadTs() : action.messageTs();
			Place place = new Place(SlackMessages.PLATFORM, kindOf(action.channel(), null), action.channel(), thread);
			// quietly, as Midjourney does: the new job's status message is the answer
			return message(key, action.user(), action.userName(), place, command,
					new SlackAddress.Respond(action.responseUrl(), action.channel()));
		}
		if (action.ephemeral() || action.messageTs() == null) {
			Place place = new Place(SlackMessages.PLATFORM, kindOf(action.channel(), null), action.channel(), null);
			return message(key, action.user(), action.userName(), place, action.value(),
					new SlackAddress.Respond(action.responseUrl(), action.channel()));
		}
		String thread = action.threadTs() != null ? action.threadTs() : action.messageTs();
		Place place = new Place(SlackMessages.PLATFORM, kindOf(action.channel(), null), action.channel(), thread);
		return message(key, action.user(), action.userName(), place, action.value(),
				new SlackAddress.Thread(action.channel(), thread));
	}

	private Inbound message(String key, String user, String userName, Place place, String text, SlackAddress address) {
		PlatformUserId sender = new PlatformUserId(SlackMessages.PLATFORM, user);
		String name = conversations.findUser(sender).isPresent() ? null : api.displayName(user).orElse(userName);
		return Inbound.message(SlackMessages.PLATFORM, key, address,
				InboundMessage.text(sender, name, place, text == null ? "" : text));
	}

	/** DMs with the bot have ids starting with D (and Slack names their channel so). */
	static PlaceKind kindOf(String channel, String channelName) {
		return (channel != null && channel.startsWith("D")) || "directmessage".equals(channelName) ? PlaceKind.DIRECT
				: PlaceKind.GROUP;
	}

}
