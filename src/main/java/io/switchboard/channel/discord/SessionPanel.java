package io.switchboard.channel.discord;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessageRole;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.SessionId;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserId;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.events.interaction.command.MessageContextInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.StringSelectInteractionEvent;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.components.ActionRow;
import net.dv8tion.jda.api.interactions.components.buttons.Button;
import net.dv8tion.jda.api.interactions.components.selections.SelectOption;
import net.dv8tion.jda.api.interactions.components.selections.StringSelectMenu;

import org.springframework.stereotype.Component;

/**
 * {@code /session}: a private panel with the current session's creator, name, times,
 * system message and recent conversation, and the buttons Public and Remove and a model
 * menu, which only the owner may use (others see them disabled, and the handlers refuse
 * them too). The "Session info" message command shows the same panel for the session an
 * answer belongs to, followed by the context the model reads next.
 */
@Component
class SessionPanel {

	static final String SESSION_INFO = "Session info";

	/** Recent messages in the panel. */
	private static final int RECENT = 6;

	/** Context shown by "Session info": at most this many messages... */
	private static final int CONTEXT_MESSAGES = 40;

	/** ...in at most this many characters (a few Discord messages). */
	private static final int CONTEXT_CHARS = 7_000;

	private static final String REMOVE_ACTION = "session-remove";

	private final Conversations conversations;

	private final AnswerLog answers;

	private final ModelMenus models;

	SessionPanel(Conversations conversations, AnswerLog answers, ModelMenus models) {
		this.conversations = conversations;
		this.answers = answers;
		this.models = models;
	}

	/** {@code /session [name] [system_msg]} on the current session. */
	void command(SlashCommandInteractionEvent event) {
		event.deferReply(true).queue();
		User user = identify(event);
		Place place = Discord.place(event.getMessageChannel(), event.isFromGuild());
		Session session = conversations.currentSession(user, place).orElse(null);
		if (session == null) {
			event.getHook()
				.editOriginal("You have no current session yet: send a message to start one, or pick one in `/user`.")
				.queue();
			return;
		}
		String problem = null;
		OptionMapping name = event.getOption("name");
		OptionMapping system = event.getOption("system_msg");
		try {
			if (name != null) {
				session = conversations.renameSession(user.id(), session.id(), name.getAsString());
			}
			if (system != null) {
				String text = system.getAsString();
				session = conversations.setSessionSystemPrompt(user.id(), session.id(),
						"-".equals(text.strip()) ? null : text);
			}
		}
		catch (ConversationException refused) {
			problem = refused.getMessage();
		}
		event.getHook().editOriginal(render(user, session, problem).edit()).queue();
	}

	/** "Session info" on one of the bot's answers: its session's settings and context. */
	void info(MessageContextInteractionEvent event) {
		event.deferReply(true).queue();
		InteractionHook hook = event.getHook();
		Message target = event.getTarget();
		if (target.getAuthor().getIdLong() != event.getJDA().getSelfUser().getIdLong()) {
			hook.editOriginal("Session info works on my answers: use it on one of my replies.").queue();
			return;
		}
		SessionId id = answers.session(target.getIdLong()).orElse(null);
		if (id == null) {
			hook.editOriginal("That message is not an answer of a session (or its session was removed).").queue();
			return;
		}
		User user = identify(event);
		Session session;
		try {
			session = conversations.session(user.id(), id);
		}
		catch (ConversationException refused) {
			hook.editOriginal(refused.getMessage()).queue();
			return;
		}
		hook.editOriginal(render(user, session, null).edit()).complete();
		for (String part : MessageSplitter.split(context(user, session))) {
			hook.sendMessage(part).setEphemeral(true).setAllowedMentions(Discord.NO_MENTIONS).complete();
		}
	}

	void button(ButtonInteractionEvent event, CustomIds.Parsed id) {
		SessionId sessionId = id.number().map(SessionId::new).orElse(null);
		if (sessionId == null) {
			event.reply("That button is not known any more.").setEphemeral(true).queue();
			return;
		}
		switch (id.what()) {
			case "public" -> {
				event.deferEdit().queue();
				User user = identify(event);
				act(event.getHook(), user, () -> {
					Session session = conversations.session(user.id(), sessionId);
					return conversations.setSessionPublic(user.id(), sessionId, !session.isPublic());
				});
			}
			case "remove" -> askToRemove(event, acknowledgedWithNewMessage(event), sessionId);
			case "remove:yes", "remove:no" -> {
				event.deferEdit().queue();
				User user = identify(event);
				event.getHook()
					.editOriginal(Panel.text(remove(user, sessionId, id.what().endsWith("yes"))).edit())
					.queue();
			}
			default -> event.reply("That button is not known any more.").setEphemeral(true).queue();
		}
	}

	void select(StringSelectInteractionEvent event, CustomIds.Parsed id) {
		event.deferEdit().queue();
		User user = identify(event);
		SessionId sessionId = id.number().map(SessionId::new).orElse(null);
		String model = event.getValues().isEmpty() ? "" : event.getValues().getFirst();
		if (sessionId == null || !"model".equals(id.what())) {
			event.getHook().sendMessage("That menu is not known any more.").setEphemeral(true).queue();
			return;
		}
		act(event.getHook(), user, () -> conversations.setSessionModel(user.id(), sessionId, model));
	}

	/** Changes a session and shows the panel again, or says why it may not. */
	private void act(InteractionHook hook, User user, Supplier<Session> change) {
		Session changed;
		try {
			changed = change.get();
		}
		catch (ConversationException refused) {
			hook.sendMessage("⚠️ " + refused.getMessage()).setEphemeral(true).queue();
			return;
		}
		hook.editOriginal(render(user, changed, null).edit()).queue();
	}

	private void askToRemove(ButtonInteractionEvent event, User user, SessionId id) {
		Session session;
		try {
			session = conversations.session(user.id(), id);
			if (!session.isOwnedBy(user.id())) {
				throw new ConversationException.NotAllowed("Only the owner of session " + id + " may remove it.");
			}
		}
		catch (ConversationException refused) {
			event.getHook().editOriginal("⚠️ " + refused.getMessage()).queue();
			return;
		}
		conversations.requestConfirmation(user.id(), REMOVE_ACTION, Long.toString(id.value()));
		event.getHook()
			.editOriginal(new Panel(
					"Remove session " + id + " \"" + session.title()
							+ "\" and all its messages? This cannot be undone.",
					List.of(ActionRow.of(Button.danger(CustomIds.session("remove:yes", id.value()), "Remove it"),
							Button.secondary(CustomIds.session("remove:no", id.value()), "Keep it"))))
				.edit())
			.queue();
	}

	private String remove(User user, SessionId id, boolean confirmed) {
		String key = Long.toString(id.value());
		if (!confirmed) {
			conversations.cancelConfirmation(user.id(), REMOVE_ACTION);
			return "Kept session " + id + ".";
		}
		if (!conversations.confirm(user.id(), REMOVE_ACTION, key)) {
			return "Nothing to confirm (or it expired): press Remove again.";
		}
		try {
			Session session = conversations.session(user.id(), id);
			conversations.removeSession(user.id(), id);
			return "Removed session " + id + " \"" + session.title() + "\" and its messages.";
		}
		catch (ConversationException refused) {
			return "⚠️ " + refused.getMessage();
		}
	}

	Panel render(User viewer, Session session, String problem) {
		boolean owner = session.isOwnedBy(viewer.id());
		StringBuilder head = new StringBuilder();
		if (problem != null) {
			head.append("⚠️ ").append(problem).append("\n\n");
		}
		head.append("**Session ")
			.append(session.id())
			.append("** \"")
			.append(Discord.abbreviate(session.title(), 100))
			.append("\"\n");
		head.append("Creator: **")
			.append(name(session.owner()))
			.append("** · ")
			.append(session.isPublic() ? "public" : "private")
			.append(" · model `")
			.append(session.model())
			.append("` · topic ")
			.append(session.currentTopic())
			.append(" · ")
			.append(conversations.messageCount(session.id()))
			.append(" messages\n");
		head.append("Created ")
			.append(Discord.time(session.createdAt(), 'f'))
			.append(" · updated ")
			.append(Discord.time(session.updatedAt(), 'R'))
			.append(" · modified ")
			.append(Discord.time(session.modifiedAt(), 'R'))
			.append('\n');
		head.append("System message: ").append(Discord.quoteOrNone(session.systemPrompt()));

		List<String> recent = new ArrayList<>();
		for (StoredMessage message : conversations.recentMessages(viewer.id(), session.id(), RECENT)) {
			recent.add("> **" + speaker(message) + "**: " + Discord.abbreviate(message.text(), 200));
		}
		// the oldest lines go first when the panel would be too long
		while (!recent.isEmpty() && length(head, recent) > MessageSplitter.LIMIT) {
			recent.removeFirst();
		}
		StringBuilder text = new StringBuilder(head);
		if (!recent.isEmpty()) {
			text.append("\n**Recent conversation**\n").append(String.join("\n", recent));
		}

		List<ActionRow> rows = List.of(ActionRow.of(
				UserPanel.toggle(CustomIds.session("public", session.id().value()), "Public", session.isPublic())
					.withDisabled(!owner),
				Button.danger(CustomIds.session("remove", session.id().value()), "Remove").withDisabled(!owner)),
				ActionRow.of(models.menu(CustomIds.session("model", session.id().value()),
						owner ? "Model of this session" : "Model (only the creator changes it)", session.model(),
						!owner)));
		return new Panel(text.toString(), rows);
	}

	/** The current topic as the model reads it with the next question, newest kept. */
	private String context(User viewer, Session session) {
		List<StoredMessage> newestFirst = conversations.contextPage(session.id(), session.currentTopic(),
				Integer.MAX_VALUE, CONTEXT_MESSAGES);
		List<String> lines = new ArrayList<>();
		int length = 0;
		for (StoredMessage message : newestFirst) {
			String line = "**" + speaker(message) + "**: " + Discord.abbreviate(message.text(), 600);
			if (length + line.length() > CONTEXT_CHARS) {
				break;
			}
			lines.addFirst(line);
			length += line.length() + 1;
		}
		String header = "**Context of session " + session.id() + "** (topic " + session.currentTopic()
				+ ", what the model reads with the next question"
				+ (session.systemPrompt() == null ? "" : ", after the system message") + ")\n";
		return lines.isEmpty() ? header + "Empty: the next question starts this topic."
				: header + String.join("\n", lines);
	}

	private String speaker(StoredMessage message) {
		if (message.role() == MessageRole.ASSISTANT) {
			return message.answer() == null ? "Assistant" : "Assistant (" + message.answer().model() + ")";
		}
		return message.author() == null ? "User" : name(message.author());
	}

	private String name(UserId id) {
		return id == null ? "?" : conversations.findUser(id).map(User::displayName).orElse("?");
	}

	private static int length(StringBuilder head, List<String> recent) {
		return head.length() + "\n**Recent conversation**\n".length()
				+ recent.stream().mapToInt(line -> line.length() + 1).sum();
	}

	private User identify(net.dv8tion.jda.api.interactions.Interaction interaction) {
		return conversations.identify(Discord.identity(interaction.getUser()),
				Discord.displayName(interaction.getUser(), interaction.getMember()));
	}

	/**
	 * For buttons answered with a new private message (a question to confirm):
	 * acknowledges first, then finds who pressed it.
	 */
	private User acknowledgedWithNewMessage(ButtonInteractionEvent event) {
		event.deferReply(true).queue();
		return identify(event);
	}

}
