package io.switchboard.channel.discord;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;

import org.springframework.stereotype.Component;

/**
 * The buttons under the assistant's notices: each sends its text command again, as the
 * person who pressed it (anyone may press a button on a message in a channel, and acts as
 * themselves), and the answer comes back privately.
 */
@Component
class CommandButtons {

	private final Assistant assistant;

	CommandButtons(Assistant assistant) {
		this.assistant = assistant;
	}

	void press(ButtonInteractionEvent event, String command) {
		event.deferReply(true).queue();
		InteractionReply reply = new InteractionReply(event.getHook());
		assistant.handle(InboundMessage.text(Discord.identity(event.getUser()),
				Discord.displayName(event.getUser(), event.getMember()),
				Discord.place(event.getMessageChannel(), event.isFromGuild()), command), reply);
		reply.finish();
	}

}
