package io.switchboard.channel.discord;

import io.switchboard.assistant.InboundMessage;
import io.switchboard.channel.Inbound;
import io.switchboard.channel.Intake;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;

import org.springframework.stereotype.Component;

/**
 * Image generation from Discord, as Midjourney's bot does it: {@code /imagine prompt:}
 * starts an origin job, and the buttons under a job's result (U1-U4, V1-V4 and reroll
 * under four candidates, Vary (Strong) and Vary (Subtle) under an upscale) start the next
 * ones, through the shared {@code /imagine} and {@code /image} commands. Each job gets
 * its own message in the channel, kept up to date by {@link DiscordRenderer}.
 * {@code /comic idea:} starts a comic that makes itself; its strip is posted when done.
 */
@Component
class DiscordImages {

	private final Intake intake;

	private final CommandButtons commands;

	private final ShardFences fences;

	DiscordImages(Intake intake, CommandButtons commands, ShardFences fences) {
		this.intake = intake;
		this.fences = fences;
		this.commands = commands;
	}

	/**
	 * {@code /imagine prompt:...}: the shared {@code /imagine} command (with its
	 * {@code --ar}, {@code --no}, {@code --seed} options) answers privately that the job
	 * started; the job's own message follows in the channel.
	 */
	void imagine(SlashCommandInteractionEvent event) {
		OptionMapping prompt = event.getOption("prompt");
		commands.run(event, "/imagine " + (prompt == null ? "" : prompt.getAsString()));
	}

	/**
	 * {@code /comic idea:...}: the shared {@code /comic} command answers privately that
	 * the comic started; the strip is posted in the channel when it is finished.
	 */
	void comic(SlashCommandInteractionEvent event) {
		OptionMapping idea = event.getOption("idea");
		commands.run(event, "/comic " + (idea == null ? "" : idea.getAsString()));
	}

	/**
	 * A button under a job's result ({@code img:<job>:<code>}): quietly, as Midjourney
	 * does (the new job's message is the answer); only its asker hears that it started,
	 * or why not.
	 */
	void button(ButtonInteractionEvent event, CustomIds.Parsed id) {
		event.deferEdit().queue();
		intake
			.take(Inbound
				.message(Discord.PLATFORM, "interaction:" + event.getId(),
						new DiscordAddress.Interaction(event.getToken(), false, event.getMessageChannel().getIdLong()),
						InboundMessage.text(Discord.identity(event.getUser()),
								Discord.displayName(event.getUser(), event.getMember()),
								Discord.place(event.getMessageChannel(), event.isFromGuild()),
								"/image #" + id.what() + " " + id.argument()))
				.onAccepted(fences.guard(event.getJDA())));
	}

}
