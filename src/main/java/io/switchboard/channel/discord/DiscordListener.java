package io.switchboard.channel.discord;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.switchboard.channel.Lanes;
import io.switchboard.channel.Taken;
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

	/**
	 * Told when a message has been dealt with. Nothing in the server listens; tests do,
	 * to know that a message the bot must leave unanswered was handled, rather than
	 * waiting an arbitrary time for an answer that never comes.
	 */
	private final List<Consumer<HandledMessage>> observers = new CopyOnWriteArrayList<>();

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
			Optional<Taken> taken = Optional.empty();
			try {
				taken = chat.onMessage(event);
			}
			catch (RuntimeException failure) {
				log.error("could not handle Discord message {}", event.getMessageId(), failure);
			}
			HandledMessage handled = new HandledMessage(event.getMessageIdLong(), taken);
			observers.forEach(observer -> observer.accept(handled));
		});
	}

	/** Calls {@code observer} with every message once it has been dealt with. */
	void observe(Consumer<HandledMessage> observer) {
		observers.add(observer);
	}

	/**
	 * A message from the gateway, dealt with.
	 *
	 * @param taken how the intake took it (and so whether anything will answer it), or
	 * empty when it was left alone (a bot's message, nothing to read) or its handling
	 * failed
	 */
	record HandledMessage(long messageId, Optional<Taken> taken) {
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
