package io.switchboard.channel.discord;

import java.util.Optional;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.User;
import io.switchboard.image.ImageAction;
import io.switchboard.image.ImageJobException;
import io.switchboard.image.ImageJobId;
import io.switchboard.image.ImageJobs;
import io.switchboard.image.ImageOrigin;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;

import org.springframework.stereotype.Component;

/**
 * Image generation from Discord, as Midjourney's bot does it: {@code /imagine prompt:}
 * starts an origin job, and the buttons under a job's result (U1-U4, V1-V4 and reroll
 * under four candidates, Vary (Strong) and Vary (Subtle) under an upscale) start the next
 * ones. Each job gets its own message in the channel, kept up to date by
 * {@link ImageDelivery}. {@code /comic idea:} starts a comic that makes itself, posted by
 * {@link ComicDelivery}.
 */
@Component
class DiscordImages {

	private final Assistant assistant;

	private final ImageJobs jobs;

	private final Conversations conversations;

	DiscordImages(Assistant assistant, ImageJobs jobs, Conversations conversations) {
		this.assistant = assistant;
		this.jobs = jobs;
		this.conversations = conversations;
	}

	/**
	 * {@code /imagine prompt:...}: the shared {@code /imagine} command (with its
	 * {@code --ar}, {@code --no}, {@code --seed} options) answers privately that the job
	 * started; the job's own message follows in the channel.
	 */
	void imagine(SlashCommandInteractionEvent event) {
		event.deferReply(true).queue();
		OptionMapping prompt = event.getOption("prompt");
		InteractionReply reply = new InteractionReply(event.getHook());
		assistant.handle(InboundMessage.text(Discord.identity(event.getUser()),
				Discord.displayName(event.getUser(), event.getMember()),
				Discord.place(event.getMessageChannel(), event.isFromGuild()),
				"/imagine " + (prompt == null ? "" : prompt.getAsString())), reply);
		reply.finish();
	}

	/**
	 * {@code /comic idea:...}: the shared {@code /comic} command answers privately that
	 * the comic started; {@link ComicDelivery} posts the strip in the channel when it is
	 * finished.
	 */
	void comic(SlashCommandInteractionEvent event) {
		event.deferReply(true).queue();
		OptionMapping idea = event.getOption("idea");
		InteractionReply reply = new InteractionReply(event.getHook());
		assistant.handle(InboundMessage.text(Discord.identity(event.getUser()),
				Discord.displayName(event.getUser(), event.getMember()),
				Discord.place(event.getMessageChannel(), event.isFromGuild()),
				"/comic " + (idea == null ? "" : idea.getAsString())), reply);
		reply.finish();
	}

	/** A button under a job's result ({@code img:<job>:<code>}). */
	void button(ButtonInteractionEvent event, CustomIds.Parsed id) {
		// quietly, as Midjourney does: the new job's message is the answer
		event.deferEdit().queue();
		Optional<ImageAction> action = ImageAction.parse(id.argument());
		Optional<Long> job = parseLong(id.what());
		if (action.isEmpty() || job.isEmpty()) {
			event.getHook().sendMessage("That button is not known any more.").setEphemeral(true).queue();
			return;
		}
		User user = conversations.identify(Discord.identity(event.getUser()),
				Discord.displayName(event.getUser(), event.getMember()));
		try {
			jobs.act(user.id(), new ImageJobId(job.get()), action.get(), new ImageOrigin(
					Discord.identity(event.getUser()), Discord.place(event.getMessageChannel(), event.isFromGuild())));
		}
		catch (ImageJobException refused) {
			event.getHook().sendMessage("⚠️ " + refused.getMessage()).setEphemeral(true).queue();
		}
	}

	private static Optional<Long> parseLong(String text) {
		try {
			return Optional.of(Long.parseLong(text));
		}
		catch (NumberFormatException notANumber) {
			return Optional.empty();
		}
	}

}
