package io.switchboard.channel.discord;

import io.switchboard.channel.Lanes;
import net.dv8tion.jda.api.events.interaction.command.MessageContextInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.StringSelectInteractionEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.callbacks.IReplyCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Routes the gateway's events to their handlers. Events arrive in order on the gateway's
 * own thread and go at once to virtual threads: a person's messages in one channel to one
 * after another, in the order they were written (so they are stored, and answered, in
 * that order), everything else each to its own. Every interaction handler acknowledges
 * first (deferred reply or edit), before any database work.
 */
@Component
class DiscordListener extends ListenerAdapter {

	private static final Logger log = LoggerFactory.getLogger(DiscordListener.class);

	private final DiscordChat chat;

	private final UserPanel users;

	private final SessionPanel sessions;

	private final CommandButtons commands;

	private final SlashCommands slashCommands;

	private final DiscordImages images;

	/** Messages, by channel and author: taken in in the order written. */
	private final Lanes messages = new Lanes("discord-message-");

	DiscordListener(DiscordChat chat, UserPanel users, SessionPanel sessions, CommandButtons commands,
			SlashCommands slashCommands, DiscordImages images) {
		this.chat = chat;
		this.users = users;
		this.sessions = sessions;
		this.commands = commands;
		this.slashCommands = slashCommands;
		this.images = images;
	}

	@Override
	public void onReady(ReadyEvent event) {
		Thread.ofVirtual().name("discord-commands").start(() -> slashCommands.register(event.getJDA()));
	}

	@Override
	public void onMessageReceived(MessageReceivedEvent event) {
		messages.submit(event.getChannel().getId() + ":" + event.getAuthor().getId(), () -> {
			try {
				chat.onMessage(event);
			}
			catch (RuntimeException failure) {
				log.error("could not handle Discord message {}", event.getMessageId(), failure);
			}
		});
	}

	@Override
	public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
		guarded(event, () -> {
			switch (event.getName()) {
				case "user" -> users.command(event);
				case "session" -> sessions.command(event);
				case "imagine" -> images.imagine(event);
				case "comic" -> images.comic(event);
				default -> event.reply("I do not know that command any more.").setEphemeral(true).queue();
			}
		});
	}

	@Override
	public void onMessageContextInteraction(MessageContextInteractionEvent event) {
		guarded(event, () -> {
			if (SessionPanel.SESSION_INFO.equals(event.getName())) {
				sessions.info(event);
			}
			else {
				event.reply("I do not know that command any more.").setEphemeral(true).queue();
			}
		});
	}

	@Override
	public void onButtonInteraction(ButtonInteractionEvent event) {
		guarded(event, () -> {
			CustomIds.Parsed id = CustomIds.parse(event.getComponentId());
			switch (id.kind()) {
				case CustomIds.COMMAND -> commands.press(event, id.what());
				case CustomIds.USER -> users.button(event, id);
				case CustomIds.SESSION -> sessions.button(event, id);
				case CustomIds.IMAGE -> images.button(event, id);
				default -> event.reply("That button is not known any more.").setEphemeral(true).queue();
			}
		});
	}

	@Override
	public void onStringSelectInteraction(StringSelectInteractionEvent event) {
		guarded(event, () -> {
			CustomIds.Parsed id = CustomIds.parse(event.getComponentId());
			switch (id.kind()) {
				case CustomIds.USER -> users.select(event, id);
				case CustomIds.SESSION -> sessions.select(event, id);
				default -> event.reply("That menu is not known any more.").setEphemeral(true).queue();
			}
		});
	}

	/**
	 * Runs a handler; when it fails, says so to the user instead of leaving them waiting.
	 */
	private static void guarded(IReplyCallback event, Runnable handler) {
		Thread.ofVirtual().name("discord-interaction-" + event.getId()).start(() -> handle(event, handler));
	}

	private static void handle(IReplyCallback event, Runnable handler) {
		try {
			handler.run();
		}
		catch (RuntimeException failure) {
			log.error("could not handle a Discord interaction", failure);
			String message = "⚠️ Something went wrong on the server. Please try again in a moment.";
			if (event.isAcknowledged()) {
				event.getHook().sendMessage(message).setEphemeral(true).queue(null, ignored -> {
				});
			}
			else {
				event.reply(message).setEphemeral(true).queue(null, ignored -> {
				});
			}
		}
	}

}
