package io.switchboard.channel.discord;

import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;

import org.springframework.stereotype.Component;

/** Image generation on Discord (wired to the image engine once it is merged). */
@Component
class DiscordImages {

	boolean available() {
		return false;
	}

	void imagine(SlashCommandInteractionEvent event) {
		event.reply("Image generation is not available on this server.").setEphemeral(true).queue();
	}

	void button(ButtonInteractionEvent event, CustomIds.Parsed id) {
		event.reply("Image generation is not available on this server.").setEphemeral(true).queue();
	}

}
