package io.switchboard.channel.discord;

import io.switchboard.assistant.InboundMessage;
import io.switchboard.channel.Inbound;
import io.switchboard.channel.Intake;
import net.dv8tion.jda.api.events.interaction.GenericInteractionCreateEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.interactions.callbacks.IReplyCallback;

import org.springframework.stereotype.Component;

/**
 * The buttons under the assistant's notices, and the slash commands that are shared text
 * commands: each sends its text command, as the person who pressed or typed it (anyone
 * may press a button on a message in a channel, and acts as themselves), and the answer
 * comes back privately through the interaction.
 */
@Component
class CommandButtons {

	private final Intake intake;

	private final ShardFences fences;

	CommandButtons(Intake intake, ShardFences fences) {
		this.intake = intake;
		this.fences = fences;
	}

	void press(ButtonInteractionEvent event, String command) {
		run(event, command);
	}

	/**
	 * Acknowledges at once (Discord waits three seconds), then takes the command in under
	 * the interaction's id; its replies replace the "thinking…" response.
	 */
	<E extends GenericInteractionCreateEvent & IReplyCallback> void run(E event, String command) {
		event.deferReply(true).queue();
		intake.take(Inbound
			.message(Discord.PLATFORM, "interaction:" + event.getId(),
					new DiscordAddress.Interaction(event.getToken(), true,
							event.getMessageChannel() == null ? 0 : event.getMessageChannel().getIdLong()),
					InboundMessage.text(Discord.identity(event.getUser()),
							Discord.displayName(event.getUser(), event.getMember()),
							Discord.place(event.getMessageChannel(), event.isFromGuild()), command))
			.onAccepted(fences.guard(event.getJDA())));
	}

}
