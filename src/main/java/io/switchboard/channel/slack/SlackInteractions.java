package io.switchboard.channel.slack;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.ReplySink;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.PlatformUserId;

/**
 * Slash commands and the buttons on the bot's messages. {@code /switchboard <command>}
 * runs one of the shared text commands (and {@code /imagine <prompt>} the image command)
 * with the answer visible only to its user; a button sends its command back as if typed,
 * answered in the thread the button is in.
 */
final class SlackInteractions {

	private final SlackApi api;

	private final Assistant assistant;

	private final Conversations conversations;

	private final SlackProperties properties;

	SlackInteractions(SlackApi api, Assistant assistant, Conversations conversations, SlackProperties properties) {
		this.api = api;
		this.assistant = assistant;
		this.conversations = conversations;
		this.properties = properties;
	}

	void command(SlackInbound.Command command) {
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
		run(command.user(), command.userName(), place, text, new EphemeralReply(api, command.responseUrl()));
	}

	/** A button that sends a command back. */
	void commandButton(SlackInbound.Action action) {
		if (action.ephemeral() || action.messageTs() == null) {
			Place place = new Place(SlackMessages.PLATFORM, kindOf(action.channel(), null), action.channel(), null);
			run(action.user(), action.userName(), place, action.value(), new EphemeralReply(api, action.responseUrl()));
			return;
		}
		String thread = action.threadTs() != null ? action.threadTs() : action.messageTs();
		Place place = new Place(SlackMessages.PLATFORM, kindOf(action.channel(), null), action.channel(), thread);
		run(action.user(), action.userName(), place, action.value(),
				new ThreadReply(api, action.channel(), thread, properties.updateInterval(), null, ts -> {
				}));
	}

	private void run(String user, String userName, Place place, String text, ReplySink sink) {
		PlatformUserId sender = new PlatformUserId(SlackMessages.PLATFORM, user);
		String name = conversations.findUser(sender).isPresent() ? null : api.displayName(user).orElse(userName);
		assistant.handle(InboundMessage.text(sender, name, place, text), sink);
	}

	/** DMs with the bot have ids starting with D (and Slack names their channel so). */
	static PlaceKind kindOf(String channel, String channelName) {
		return (channel != null && channel.startsWith("D")) || "directmessage".equals(channelName) ? PlaceKind.DIRECT
				: PlaceKind.GROUP;
	}

}
