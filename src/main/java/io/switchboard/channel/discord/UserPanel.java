package io.switchboard.channel.discord;

import java.util.ArrayList;
import java.util.List;

import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.SessionId;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserState;
import net.dv8tion.jda.api.entities.Member;
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
 * {@code /user}: a private panel with the user's name and Discord id, times, settings and
 * sessions, and under it the buttons Show public, Attach and Clear (row 1), the model for
 * new sessions (row 2), the user state new / activate / disable (row 3), the sessions to
 * continue (row 4, newest first, 25 a page) and the pages (row 5, when there are more).
 * Every control acts on whoever uses it.
 */
@Component
class UserPanel {

	/** A select menu holds at most 25 options. */
	static final int PAGE_SIZE = 25;

	/** Sessions listed in the panel's text; the menu holds the whole page. */
	private static final int LISTED = 10;

	private static final String CLEAR_ACTION = "user-clear";

	private final Conversations conversations;

	private final ModelMenus models;

	private final SessionPanel sessions;

	UserPanel(Conversations conversations, ModelMenus models, SessionPanel sessions) {
		this.conversations = conversations;
		this.models = models;
		this.sessions = sessions;
	}

	/**
	 * {@code /user [system_msg] [max_token]}: sets what was given, then shows the panel.
	 */
	void command(SlashCommandInteractionEvent event) {
		event.deferReply(true).queue();
		User user = identify(event.getUser(), event.getMember());
		String problem = null;
		OptionMapping maxTokens = event.getOption("max_token");
		OptionMapping system = event.getOption("system_msg");
		try {
			// the checked setting first, so a refused value leaves the other unchanged
			// too
			if (maxTokens != null) {
				user = conversations.setMaxOutputTokens(user.id(), toInt(maxTokens.getAsLong()));
			}
			if (system != null) {
				String text = system.getAsString();
				user = conversations.setDefaultSystemPrompt(user.id(), "-".equals(text.strip()) ? null : text);
			}
		}
		catch (ConversationException refused) {
			problem = refused.getMessage();
		}
		event.getHook().editOriginal(render(user, event.getUser().getId(), 0, problem).edit()).queue();
	}

	void button(ButtonInteractionEvent event, CustomIds.Parsed id) {
		switch (id.what()) {
			case "clear" -> clear(event, id.argument());
			case "showpublic", "attach", "page" -> {
				event.deferEdit().queue();
				User user = identify(event.getUser(), event.getMember());
				int page = 0;
				if ("showpublic".equals(id.what())) {
					user = conversations.setShowPublicSessions(user.id(), !user.showPublicSessions());
				}
				else if ("attach".equals(id.what())) {
					user = conversations.setAttachNewSessions(user.id(), !user.attachNewSessions());
				}
				else {
					page = id.number().map(Long::intValue).orElse(0);
				}
				event.getHook().editOriginal(render(user, event.getUser().getId(), page, null).edit()).queue();
			}
			default -> event.reply("That button is not known any more.").setEphemeral(true).queue();
		}
	}

	void select(StringSelectInteractionEvent event, CustomIds.Parsed id) {
		event.deferEdit().queue();
		InteractionHook hook = event.getHook();
		User user = identify(event.getUser(), event.getMember());
		String value = event.getValues().isEmpty() ? "" : event.getValues().getFirst();
		int page = 0;
		Session picked = null;
		try {
			switch (id.what()) {
				case "model" -> user = conversations.setDefaultModel(user.id(), value);
				case "state" -> user = conversations.setState(user.id(), UserState.parse(value)
					.orElseThrow(() -> new ConversationException.Invalid("Unknown state \"" + value + "\".")));
				case "sessions" -> {
					page = id.number().map(Long::intValue).orElse(0);
					SessionId session = SessionId.parse(value)
						.orElseThrow(() -> new ConversationException.Invalid("Unknown session \"" + value + "\"."));
					picked = conversations.useSession(user.id(), session);
					user = conversations.user(user.id());
				}
				default -> throw new ConversationException.Invalid("That menu is not known any more.");
			}
		}
		catch (ConversationException refused) {
			hook.sendMessage("⚠️ " + refused.getMessage()).setEphemeral(true).queue();
			return;
		}
		hook.editOriginal(render(user, event.getUser().getId(), page, null).edit()).queue();
		if (picked != null) {
			// picking a session also sends its context, privately
			hook.sendMessage(sessions.render(user, picked, null).create()).setEphemeral(true).queue();
		}
	}

	/**
	 * Clear asks first; its answer comes back as {@code u:clear:yes} or
	 * {@code u:clear:no}.
	 */
	private void clear(ButtonInteractionEvent event, String decision) {
		if (decision == null) {
			event.deferReply(true).queue();
			User user = identify(event.getUser(), event.getMember());
			conversations.requestConfirmation(user.id(), CLEAR_ACTION, "");
			long owned = conversations.countSessionsFor(ownOnly(user));
			event.getHook()
				.editOriginal(new Panel(
						"Remove all " + owned + " of your sessions with their messages? This cannot be " + "undone.",
						List.of(ActionRow.of(Button.danger(CustomIds.user("clear", "yes"), "Remove all"),
								Button.secondary(CustomIds.user("clear", "no"), "Keep them"))))
					.edit())
				.queue();
			return;
		}
		event.deferEdit().queue();
		User user = identify(event.getUser(), event.getMember());
		String answer;
		if ("yes".equals(decision)) {
			if (conversations.confirm(user.id(), CLEAR_ACTION, "")) {
				int removed = conversations.clearSessions(user.id());
				answer = "Removed your " + removed + (removed == 1 ? " session." : " sessions.");
			}
			else {
				answer = "Nothing to confirm (or it expired): press Clear again.";
			}
		}
		else {
			conversations.cancelConfirmation(user.id(), CLEAR_ACTION);
			answer = "Your sessions are kept.";
		}
		event.getHook().editOriginal(Panel.text(answer).edit()).queue();
	}

	Panel render(User user, String discordId, int requestedPage, String problem) {
		long total = conversations.countSessionsFor(user);
		int pages = (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
		int page = Math.clamp(requestedPage, 0, pages - 1);
		List<Session> listed = conversations.sessionsFor(user, PAGE_SIZE, page * PAGE_SIZE);
		String model = models.effective(user.defaultModel());

		StringBuilder text = new StringBuilder();
		if (problem != null) {
			text.append("⚠️ ").append(problem).append("\n\n");
		}
		text.append("**").append(user.displayName()).append("** (Discord id `").append(discordId).append("`)\n");
		text.append("Created ")
			.append(Discord.time(user.createdAt(), 'f'))
			.append(" · updated ")
			.append(Discord.time(user.updatedAt(), 'R'))
			.append(" · modified ")
			.append(Discord.time(user.modifiedAt(), 'R'))
			.append('\n');
		text.append("State **")
			.append(stateWord(user.state()))
			.append("** · model for new sessions `")
			.append(model)
			.append("` · longest answer ")
			.append(user.maxOutputTokens() == null ? "the model's default" : user.maxOutputTokens() + " tokens")
			.append('\n');
		text.append("System message: ").append(Discord.quoteOrNone(user.defaultSystemPrompt())).append('\n');
		text.append("Show public sessions **")
			.append(user.showPublicSessions() ? "on" : "off")
			.append("** · attach new sessions **")
			.append(user.attachNewSessions() ? "on" : "off")
			.append("**\n");
		text.append("**Sessions** (").append(total).append(pages > 1 ? ", page " + (page + 1) + " of " + pages : "");
		text.append(")");
		if (listed.isEmpty()) {
			text.append(": none yet. Your next message starts one.");
		}
		for (int i = 0; i < Math.min(LISTED, listed.size()); i++) {
			Session session = listed.get(i);
			text.append('\n')
				.append(session.id().equals(user.currentSession()) ? "▶ " : "• ")
				.append('`')
				.append(session.id())
				.append("` ")
				.append(Discord.abbreviate(session.title(), 60))
				.append(" · ")
				.append(session.isPublic() ? "public" : "private");
			if (!session.isOwnedBy(user.id())) {
				text.append(" · by ").append(ownerName(session));
			}
		}
		if (listed.size() > LISTED) {
			text.append("\n… and ").append(listed.size() - LISTED).append(" more in the menu below");
		}

		List<ActionRow> rows = new ArrayList<>();
		rows.add(ActionRow.of(toggle(CustomIds.user("showpublic"), "Show public", user.showPublicSessions()),
				toggle(CustomIds.user("attach"), "Attach", user.attachNewSessions()),
				Button.danger(CustomIds.user("clear"), "Clear")));
		rows.add(ActionRow.of(models.menu(CustomIds.user("model"), "Model for new sessions", model, false)));
		rows.add(ActionRow.of(StringSelectMenu.create(CustomIds.user("state"))
			.setPlaceholder("User state")
			.addOptions(stateOption(UserState.NEW, "new", "Your next message starts a new session", user.state()),
					stateOption(UserState.ACTIVE, "activate", "Your messages continue your current session",
							user.state()),
					stateOption(UserState.DISABLED, "disable", "Your messages are not answered", user.state()))
			.build()));
		if (!listed.isEmpty()) {
			StringSelectMenu.Builder menu = StringSelectMenu.create(CustomIds.user("sessions", page))
				.setPlaceholder("Continue a session");
			for (Session session : listed) {
				String owner = session.isOwnedBy(user.id()) ? "" : " · by " + ownerName(session);
				menu.addOptions(SelectOption
					.of(Discord.abbreviate(session.id() + " " + session.title(), 100),
							Long.toString(session.id().value()))
					.withDescription(Discord
						.abbreviate((session.isPublic() ? "public" : "private") + " · " + session.model() + owner, 100))
					.withDefault(session.id().equals(user.currentSession())));
			}
			rows.add(ActionRow.of(menu.build()));
		}
		if (pages > 1) {
			rows.add(ActionRow.of(Button.secondary(CustomIds.user("page", page - 1), "◀ Newer").withDisabled(page == 0),
					Button.secondary(CustomIds.user("page", page + 1), "Older ▶").withDisabled(page >= pages - 1)));
		}
		return new Panel(text.toString(), rows);
	}

	static Button toggle(String id, String label, boolean on) {
		return on ? Button.success(id, label + ": on") : Button.secondary(id, label + ": off");
	}

	private static SelectOption stateOption(UserState state, String word, String description, UserState current) {
		return SelectOption.of(word, word).withDescription(description).withDefault(state == current);
	}

	/** The panel's words for the states ("activate", "disable"). */
	static String stateWord(UserState state) {
		return switch (state) {
			case NEW -> "new";
			case ACTIVE -> "activate";
			case DISABLED -> "disable";
		};
	}

	private String ownerName(Session session) {
		return conversations.findUser(session.owner()).map(User::displayName).orElse("?");
	}

	private User identify(net.dv8tion.jda.api.entities.User user, Member member) {
		return conversations.identify(Discord.identity(user), Discord.displayName(user, member));
	}

	private static int toInt(long value) {
		if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
			throw new ConversationException.Invalid("Max tokens must be between 16 and 200000.");
		}
		return (int) value;
	}

	/** The user as if they did not list public sessions: counts what Clear removes. */
	private static User ownOnly(User user) {
		return new User(user.id(), user.displayName(), user.role(), user.state(), user.mode(), user.defaultModel(),
				user.defaultSystemPrompt(), user.maxOutputTokens(), user.currentSession(), false,
				user.attachNewSessions(), user.createdAt(), user.updatedAt(), user.modifiedAt());
	}

}
