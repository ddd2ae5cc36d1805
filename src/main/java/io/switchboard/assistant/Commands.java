package io.switchboard.assistant;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.switchboard.conversation.ChatMode;
import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Fact;
import io.switchboard.conversation.FactSuggestion;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.SessionId;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserState;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Carries out the shared text commands and words their replies. */
@Component
class Commands {

	static final int PAGE_SIZE = 10;

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private static final String CONFIRM = "confirm";

	private static final String CANCEL = "cancel";

	private final Conversations conversations;

	private final ModelCatalog models;

	private final CommandParser parser;

	private final List<ModeHandler> modeHandlers;

	private final List<SessionTools> sessionTools;

	private final ContextAssembler assembler;

	private final io.switchboard.voice.Speech speech;

	Commands(Conversations conversations, ModelCatalog models, CommandParser parser, List<ModeHandler> modeHandlers,
			List<SessionTools> sessionTools, ContextAssembler assembler, io.switchboard.voice.Speech speech) {
		this.speech = speech;
		this.sessionTools = sessionTools;
		this.conversations = conversations;
		this.models = models;
		this.parser = parser;
		this.modeHandlers = modeHandlers;
		this.assembler = assembler;
	}

	/** Runs a command; replies go to the sink. */
	void execute(Command command, User user, InboundMessage message, ReplySink sink) {
		try {
			switch (command) {
				case Command.Extension extension ->
					extension.extension().handle(user, message, extension.arguments(), sink);
				default -> sink.accept(new ReplyEvent.Notice(reply(command, user, message)));
			}
		}
		catch (ConversationException refused) {
			sink.accept(new ReplyEvent.Notice(Reply.of(refused.getMessage())));
		}
	}

	private Reply reply(Command command, User user, InboundMessage message) {
		return switch (command) {
			case Command.Help help -> help(null);
			case Command.Unknown unknown -> help("Unknown command `/" + unknown.word() + "`.");
			case Command.NewTopic newTopic -> newTopic(user, message);
			case Command.Models listModels -> models(user, message);
			case Command.Mode mode -> mode(user, mode.mode());
			case Command.Compact compact -> compact(user, message);
			case Command.Remember remember -> remember(user, remember.fact());
			case Command.Memory memory -> memory(user);
			case Command.Forget forget -> forget(user, forget.argument().strip().toLowerCase());
			case Command.SessionCommand session -> session(session, user, message);
			case Command.UserCommand userCommand -> user(userCommand, user);
			case Command.Extension extension -> throw new IllegalStateException("extensions reply themselves");
			case Command.ToolDecision decision -> throw new IllegalStateException("the assistant decides tool calls");
		};
	}

	// ------------------------------------------------------------------- help

	Reply help(String problem) {
		StringBuilder text = new StringBuilder();
		if (problem != null) {
			text.append(problem).append("\n\n");
		}
		text.append("""
				**Commands**
				`/new` start a new topic: the model forgets this conversation, the history is kept
				`/session new [title]` start a new session
				`/session list [page]` your sessions (and public ones, if shown)
				`/session use #id` continue a session
				`/session rename <title>` rename the current session
				`/session public` · `/session private` who may use the current session
				`/session model <name>` the current session's model
				`/session system [text | -]` show or set its system prompt (`-` removes it)
				`/session remove [#id]` remove a session (asks to confirm)
				`/session info [#id]` settings and recent messages
				`/session tools [on | off <server>]` the tool (MCP) servers the current session uses
				`/user info` your settings
				`/user model <name>` default model for new sessions
				`/user system [text | -]` default system prompt for new sessions
				`/user maxtokens <n | default>` the longest answer you want
				`/user state new | active | disabled` start a session with the next message, continue, or pause
				`/user showpublic on | off` · `/user attach on | off` list public sessions; make new sessions current
				`/user voice on | off` answers also spoken aloud, where the platform plays audio
				`/user clear` remove all your sessions (asks to confirm)
				`/models` the models you can use
				`/mode chat | image` chat with a model, or turn messages into images
				`/compact` summarise this conversation's older messages now (it happens by itself when it grows long)
				`/remember <fact>` · `/memory` · `/forget <n | all>` facts about you every conversation of yours knows
				""");
		for (CommandExtension extension : parser.extensions()) {
			text.append(extension.help()).append('\n');
		}
		text.append("`/help` this list");
		return new Reply(text.toString(), List.of(Reply.Action.of("New topic", "/new"),
				Reply.Action.of("My sessions", "/session list"), Reply.Action.of("Models", "/models")));
	}

	// ------------------------------------------------------------- topics, mode

	private Reply newTopic(User user, InboundMessage message) {
		Optional<Session> session = target(user, message);
		if (session.isEmpty()) {
			return Reply.of("There is no conversation to reset yet: your next message starts one.");
		}
		Session updated = conversations.startNewTopic(user.id(), session.get().id());
		return Reply.of("New topic in session " + updated.id() + " \"" + updated.title()
				+ "\": the model starts fresh, earlier messages stay in the history.");
	}

	private Reply mode(User user, String word) {
		if (word.isBlank()) {
			return Reply.of("You are in **" + user.mode().name().toLowerCase() + "** mode.",
					Reply.Action.of("Chat mode", "/mode chat"), Reply.Action.of("Image mode", "/mode image"));
		}
		ChatMode mode = ChatMode.parse(word)
			.orElseThrow(() -> new ConversationException.Invalid("Modes are `chat` and `image`."));
		if (mode != ChatMode.CHAT && modeHandlers.stream().noneMatch(handler -> handler.mode() == mode)) {
			return Reply.of("Image generation is not available on this server.");
		}
		conversations.setMode(user.id(), mode);
		return switch (mode) {
			case CHAT ->
				Reply.of("Chat mode: your messages go to the model.", Reply.Action.of("Image mode", "/mode image"));
			case IMAGE -> Reply.of("Image mode: every message you send becomes an image prompt.",
					Reply.Action.of("Chat mode", "/mode chat"));
		};
	}

	private Reply models(User user, InboundMessage message) {
		String current = target(user, message).map(Session::model).orElse(null);
		String defaultModel = models.findOrDefault(user.defaultModel()).name();
		StringBuilder text = new StringBuilder("**Models**\n");
		List<Reply.Action> actions = new ArrayList<>();
		for (ModelSpec model : models.all()) {
			text.append("`").append(model.name()).append("`");
			text.append(" · ").append(model.provider());
			text.append(" · ").append(model.contextWindow() / 1000).append("k context");
			if (model.vision()) {
				text.append(" · reads images");
			}
			if (model.demo()) {
				text.append(" · demo, no real AI");
			}
			else if (model.price().inputPerMillion().signum() > 0 || model.price().outputPerMillion().signum() > 0) {
				text.append(" · $")
					.append(model.price().inputPerMillion().stripTrailingZeros().toPlainString())
					.append(" / $")
					.append(model.price().outputPerMillion().stripTrailingZeros().toPlainString())
					.append(" per 1M tokens in / out");
			}
			if (model.name().equals(current)) {
				text.append(" · **this session**");
			}
			if (model.name().equals(defaultModel)) {
				text.append(" · your default");
			}
			text.append('\n');
			if (current != null && !model.name().equals(current) && actions.size() < 10) {
				actions.add(Reply.Action.of("Use " + model.name(), "/session model " + model.name()));
			}
		}
		return new Reply(text.toString().strip(), actions);
	}

	// ------------------------------------------------------ compaction, memory

	private Reply compact(User user, InboundMessage message) {
		Optional<Session> target = target(user, message);
		if (target.isEmpty()) {
			return Reply.of("There is no conversation to compact yet: your next message starts one.");
		}
		Session session = target.get();
		ModelSpec model = models.findOrDefault(session.model());
		long payer = user.id().value();
		// a summary takes a model call: never inside the transaction that took the
		// command in, and never holding the platform's answer up
		Runnable work = () -> Thread.ofVirtual()
			.name("compact-" + session.id().value())
			.start(() -> assembler.compactNow(session, model, payer));
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					work.run();
				}
			});
		}
		else {
			work.run();
		}
		return Reply.of(
				"Compacting session " + session.id() + " \"" + session.title()
						+ "\": its older messages are being summarised, the latest stay word for word. "
						+ "The history is kept whole; `/session info` shows the summary once it is written.",
				Reply.Action.of("Session info", "/session info"));
	}

	/**
	 * What a proposed fact's buttons send: {@code /remember suggested <code> confirm}.
	 */
	private static final java.util.regex.Pattern SUGGESTED = java.util.regex.Pattern
		.compile("suggested (\\S+) (" + CONFIRM + "|" + CANCEL + ")");

	/**
	 * A fact compaction proposed to remember, with its two buttons: only a confirmed one
	 * goes into the memory.
	 */
	static Reply suggestion(FactSuggestion suggestion) {
		String command = "/remember suggested " + suggestion.code() + " ";
		return Reply.of(
				"Remember this about you? \u201c" + suggestion.text() + "\u201d\n"
						+ "(Proposed while summarising this conversation. Only what you confirm is remembered; "
						+ "`/memory` lists what waits.)",
				Reply.Action.primary("Remember", command + CONFIRM),
				Reply.Action.of("Don't remember", command + CANCEL));
	}

	private Reply suggested(User user, String code, String decision) {
		if (CANCEL.equals(decision)) {
			return conversations.declineSuggestion(user.id(), code) ? Reply.of("Not remembered.")
					: Reply.of("That proposal is not waiting any more (it was answered, or it expired).");
		}
		Optional<List<Fact>> facts = conversations.acceptSuggestion(user.id(), code);
		if (facts.isEmpty()) {
			return Reply.of("That proposal is not waiting any more (it was answered, or it expired).");
		}
		return remembered(facts.get());
	}

	private Reply remember(User user, String fact) {
		java.util.regex.Matcher suggested = SUGGESTED.matcher(fact.strip());
		if (suggested.matches()) {
			return suggested(user, suggested.group(1), suggested.group(2));
		}
		return remembered(conversations.remember(user.id(), fact));
	}

	private static Reply remembered(List<Fact> facts) {
		Fact added = facts.getLast();
		return Reply.of(
				"Remembered (" + added.number() + "): " + added.text()
						+ "\nEvery conversation of yours, on every platform, now knows it; only you see it. "
						+ "`/memory` lists your facts, `/forget " + added.number() + "` removes this one.",
				Reply.Action.of("My memory", "/memory"));
	}

	private Reply memory(User user) {
		List<Fact> facts = conversations.facts(user.id());
		List<FactSuggestion> waiting = conversations.factSuggestions(user.id());
		if (facts.isEmpty() && waiting.isEmpty()) {
			return Reply.of("You have no remembered facts. Add one with `/remember <fact>`, e.g. "
					+ "`/remember I am vegetarian`: every conversation of yours will know it.");
		}
		StringBuilder text = new StringBuilder(facts.isEmpty() ? "You have no remembered facts yet.\n"
				: "**Your memory** (goes into every conversation of yours)\n");
		List<Reply.Action> actions = new ArrayList<>();
		if (!waiting.isEmpty()) {
			// proposals first: they are what waits for an answer
			text.insert(0, "**Proposed to remember** (only what you confirm is kept)\n");
			int letter = 0;
			StringBuilder proposed = new StringBuilder();
			for (FactSuggestion suggestion : waiting) {
				String name = String.valueOf((char) ('a' + letter++));
				proposed.append(name).append(") ").append(suggestion.text()).append('\n');
				if (actions.size() < 3) {
					actions.add(Reply.Action.primary("Remember " + name,
							"/remember suggested " + suggestion.code() + " " + CONFIRM));
				}
			}
			text.insert(text.indexOf("\n") + 1, proposed + "\n");
		}
		for (Fact fact : facts) {
			text.append(fact.number()).append(". ").append(fact.text()).append('\n');
			if (actions.size() < 5) {
				actions.add(Reply.Action.of("Forget " + fact.number(), "/forget " + fact.number()));
			}
		}
		if (!facts.isEmpty()) {
			actions.add(Reply.Action.danger("Forget all", "/forget all"));
		}
		return new Reply(text.toString().strip(), actions);
	}

	private Reply forget(User user, String argument) {
		String action = "memory-forget-all";
		if (argument.startsWith("all")) {
			String decision = argument.substring(3).strip();
			if (CANCEL.equals(decision)) {
				conversations.cancelConfirmation(user.id(), action);
				return Reply.of("Your remembered facts are kept.");
			}
			if (CONFIRM.equals(decision)) {
				if (!conversations.confirm(user.id(), action, "")) {
					return Reply.of("Nothing to confirm (or it expired). Send `/forget all` again.");
				}
				int forgotten = conversations.forgetAll(user.id());
				return Reply.of("Forgot all " + forgotten + (forgotten == 1 ? " fact." : " facts."));
			}
			if (!decision.isEmpty()) {
				throw new ConversationException.Invalid("Usage: `/forget <n | all>`");
			}
			int count = conversations.facts(user.id()).size();
			if (count == 0) {
				return Reply.of("You have no remembered facts.");
			}
			conversations.requestConfirmation(user.id(), action, "");
			return Reply.of("Forget all " + count + (count == 1 ? " fact" : " facts") + " you asked me to remember?",
					Reply.Action.danger("Forget all", "/forget all " + CONFIRM),
					Reply.Action.of("Keep them", "/forget all " + CANCEL));
		}
		int number;
		try {
			number = Integer.parseInt(argument);
		}
		catch (NumberFormatException notANumber) {
			throw new ConversationException.Invalid(
					"Usage: `/forget <n | all>`, with n the fact's number in `/memory`.");
		}
		Fact forgotten = conversations.forget(user.id(), number);
		return Reply.of("Forgot: " + forgotten.text(), Reply.Action.of("My memory", "/memory"));
	}

	// -------------------------------------------------------------- sessions

	private Reply session(Command.SessionCommand command, User user, InboundMessage message) {
		String argument = command.argument();
		return switch (command.action()) {
			case NEW -> {
				Session created = conversations.createSession(user.id(), message.place(),
						argument.isBlank() ? null : argument, true);
				yield Reply.of("Started session " + created.id() + " \"" + created.title() + "\" ("
						+ visibility(created) + ", model " + created.model() + "). Your messages now go there.");
			}
			case LIST -> list(user, argument);
			case USE -> {
				SessionId id = SessionId.parse(argument)
					.orElseThrow(() -> new ConversationException.Invalid("Usage: `/session use #id`"));
				Session session = conversations.useSession(user.id(), id);
				yield Reply.of("Now in session " + session.id() + " \"" + session.title() + "\".",
						Reply.Action.of("Session info", "/session info"));
			}
			case RENAME -> {
				Session session = conversations.renameSession(user.id(), required(user, message).id(), argument);
				yield Reply.of("Session " + session.id() + " is now called \"" + session.title() + "\".");
			}
			case PUBLIC, PRIVATE -> {
				boolean isPublic = command.action() == Command.SessionAction.PUBLIC;
				Session session = conversations.setSessionPublic(user.id(), required(user, message).id(), isPublic);
				yield Reply.of("Session " + session.id() + " is now " + visibility(session)
						+ (isPublic ? ": anyone may read it and chat in it." : ": only you may use it."));
			}
			case MODEL -> {
				Session current = required(user, message);
				if (argument.isBlank()) {
					yield models(user, message);
				}
				Session session = conversations.setSessionModel(user.id(), current.id(), argument);
				yield Reply.of("Session " + session.id() + " now uses " + session.model() + ".");
			}
			case SYSTEM -> {
				Session current = required(user, message);
				if (argument.isBlank()) {
					yield Reply
						.of("System prompt of session " + current.id() + ": " + quoteOrNone(current.systemPrompt())
								+ "\nSet it with `/session system <text>`, " + "remove it with `/session system -`.");
				}
				Session session = conversations.setSessionSystemPrompt(user.id(), current.id(),
						"-".equals(argument) ? null : argument);
				yield Reply.of("System prompt of session " + session.id() + ": " + quoteOrNone(session.systemPrompt()));
			}
			case REMOVE -> remove(user, message, argument);
			case INFO -> sessionInfo(user, message, argument);
			case TOOLS -> {
				Session current = required(user, message);
				yield sessionTools.isEmpty() ? Reply.of("This server has no tool servers to choose from.")
						: sessionTools.getFirst().handle(user, current, argument);
			}
		};
	}

	private Reply list(User user, String argument) {
		int page = 1;
		if (!argument.isBlank()) {
			try {
				page = Math.max(1, Integer.parseInt(argument.strip()));
			}
			catch (NumberFormatException notANumber) {
				throw new ConversationException.Invalid("Usage: `/session list [page]`");
			}
		}
		long total = conversations.countSessionsFor(user);
		if (total == 0) {
			return Reply.of("You have no sessions yet: send a message to start one, or use `/session new`.");
		}
		List<Session> sessions = conversations.sessionsFor(user, PAGE_SIZE, (page - 1) * PAGE_SIZE);
		long pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
		StringBuilder text = new StringBuilder("**Sessions** (page " + page + " of " + pages + ")\n");
		List<Reply.Action> actions = new ArrayList<>();
		for (Session session : sessions) {
			boolean current = session.id().equals(user.currentSession());
			text.append(current ? "▶ " : "• ")
				.append(session.id())
				.append(" ")
				.append(session.title())
				.append(" · ")
				.append(session.model())
				.append(" · ")
				.append(visibility(session));
			if (!session.isOwnedBy(user.id())) {
				text.append(" · by ")
					.append(conversations.findUser(session.owner()).map(User::displayName).orElse("?"));
			}
			text.append('\n');
			if (!current && actions.size() < 5) {
				actions.add(Reply.Action.of("Use " + session.id(), "/session use " + session.id()));
			}
		}
		if (page < pages) {
			actions.add(Reply.Action.of("Next page", "/session list " + (page + 1)));
		}
		return new Reply(text.toString().strip(), actions);
	}

	private Reply remove(User user, InboundMessage message, String argument) {
		String[] words = argument.isBlank() ? new String[0] : argument.split("\\s+");
		Optional<SessionId> named = words.length > 0 ? SessionId.parse(words[0]) : Optional.empty();
		String decision = words.length > (named.isPresent() ? 1 : 0) ? words[words.length - 1].toLowerCase() : "";
		Session session = named.map(id -> conversations.session(user.id(), id))
			.orElseGet(() -> required(user, message));
		if (!session.isOwnedBy(user.id())) {
			throw new ConversationException.NotAllowed("Only the owner of session " + session.id() + " may remove it.");
		}
		String action = "session-remove";
		String key = Long.toString(session.id().value());
		if (CANCEL.equals(decision)) {
			conversations.cancelConfirmation(user.id(), action);
			return Reply.of("Kept session " + session.id() + ".");
		}
		if (CONFIRM.equals(decision)) {
			if (!conversations.confirm(user.id(), action, key)) {
				return Reply
					.of("Nothing to confirm (or it expired). Send `/session remove " + session.id() + "` again.");
			}
			conversations.removeSession(user.id(), session.id());
			return Reply.of("Removed session " + session.id() + " \"" + session.title() + "\" and its messages.");
		}
		conversations.requestConfirmation(user.id(), action, key);
		return Reply.of(
				"Remove session " + session.id() + " \"" + session.title()
						+ "\" and all its messages? This cannot be undone.",
				Reply.Action.danger("Remove it", "/session remove " + session.id() + " " + CONFIRM),
				Reply.Action.of("Keep it", "/session remove " + session.id() + " " + CANCEL));
	}

	private Reply sessionInfo(User user, InboundMessage message, String argument) {
		Session session = argument.isBlank() ? required(user, message)
				: conversations.session(user.id(), SessionId.parse(argument)
					.orElseThrow(() -> new ConversationException.Invalid("Usage: `/session info [#id]`")));
		String owner = conversations.findUser(session.owner()).map(User::displayName).orElse("?");
		StringBuilder text = new StringBuilder();
		text.append("**Session ").append(session.id()).append("** \"").append(session.title()).append("\"\n");
		text.append("Creator: ").append(owner).append(" · ").append(visibility(session)).append('\n');
		text.append("Model: ")
			.append(session.model())
			.append(" · topic ")
			.append(session.currentTopic())
			.append(" · ")
			.append(conversations.messageCount(session.id()))
			.append(" messages\n");
		text.append("System prompt: ").append(quoteOrNone(session.systemPrompt())).append('\n');
		conversations.summary(session.id(), session.currentTopic())
			.ifPresent(summary -> text.append("Summary of messages ")
				.append(summary.fromSeq())
				.append("-")
				.append(summary.throughSeq())
				.append(" of this topic (")
				.append(summary.steps())
				.append(summary.steps() == 1 ? " compaction" : " compactions")
				.append(", by ")
				.append(summary.model())
				.append(", ")
				.append(TIME.format(summary.updatedAt()))
				.append("); word for word from message ")
				.append(summary.throughSeq() + 1)
				.append(":\n> ")
				.append(abbreviate(summary.text(), 600))
				.append('\n'));
		text.append("Created ")
			.append(TIME.format(session.createdAt()))
			.append(" · last chat ")
			.append(TIME.format(session.updatedAt()))
			.append(" · settings changed ")
			.append(TIME.format(session.modifiedAt()))
			.append('\n');
		List<StoredMessage> recent = conversations.recentMessages(user.id(), session.id(), 6);
		if (!recent.isEmpty()) {
			text.append("\n**Recent conversation**\n");
			for (StoredMessage stored : recent) {
				text.append(stored.role().name().charAt(0))
					.append(stored.role().name().substring(1).toLowerCase())
					.append(": ")
					.append(abbreviate(stored.text(), 160))
					.append('\n');
			}
		}
		List<Reply.Action> actions = new ArrayList<>();
		if (session.isOwnedBy(user.id())) {
			actions.add(session.isPublic() ? Reply.Action.of("Make private", "/session private")
					: Reply.Action.of("Make public", "/session public"));
			actions.add(Reply.Action.of("Model", "/session model"));
			actions.add(Reply.Action.danger("Remove", "/session remove " + session.id()));
		}
		actions.add(Reply.Action.of("New topic", "/new"));
		return new Reply(text.toString().strip(), actions);
	}

	// ------------------------------------------------------------------ users

	private Reply user(Command.UserCommand command, User user) {
		String argument = command.argument();
		return switch (command.action()) {
			case INFO -> userInfo(user);
			case MODEL -> {
				if (argument.isBlank()) {
					yield Reply.of("Your default model is " + models.findOrDefault(user.defaultModel()).name()
							+ ". Set it with `/user model <name>`; see `/models`.");
				}
				User updated = conversations.setDefaultModel(user.id(), argument);
				yield Reply.of("New sessions will use " + updated.defaultModel() + ".");
			}
			case SYSTEM -> {
				if (argument.isBlank()) {
					yield Reply.of("Your default system prompt: " + quoteOrNone(user.defaultSystemPrompt())
							+ "\nSet it with `/user system <text>`, remove it with `/user system -`.");
				}
				User updated = conversations.setDefaultSystemPrompt(user.id(), "-".equals(argument) ? null : argument);
				yield Reply.of("New sessions will start with the system prompt "
						+ quoteOrNone(updated.defaultSystemPrompt()) + ".");
			}
			case MAXTOKENS -> {
				if (argument.isBlank()) {
					yield Reply.of("Longest answer: "
							+ (user.maxOutputTokens() == null ? "the model's default"
									: user.maxOutputTokens() + " tokens")
							+ ". Set it with `/user maxtokens <n | default>`.");
				}
				Integer value;
				if ("default".equalsIgnoreCase(argument) || "-".equals(argument)) {
					value = null;
				}
				else {
					try {
						value = Integer.valueOf(argument.strip());
					}
					catch (NumberFormatException notANumber) {
						throw new ConversationException.Invalid("Usage: `/user maxtokens <n | default>`");
					}
				}
				User updated = conversations.setMaxOutputTokens(user.id(), value);
				yield Reply.of("Longest answer: " + (updated.maxOutputTokens() == null ? "the model's default"
						: updated.maxOutputTokens() + " tokens") + ".");
			}
			case STATE -> {
				if (argument.isBlank()) {
					yield stateReply(user.state(), "You are in state");
				}
				UserState state = UserState.parse(argument)
					.orElseThrow(() -> new ConversationException.Invalid("States are `new`, `active` and `disabled`."));
				yield stateReply(conversations.setState(user.id(), state).state(), "Your state is now");
			}
			case CLEAR -> clear(user, argument.toLowerCase());
			case SHOWPUBLIC -> {
				boolean show = onOff(argument, !user.showPublicSessions());
				conversations.setShowPublicSessions(user.id(), show);
				yield Reply.of(show ? "Session lists now include public sessions of others."
						: "Session lists now show only your own sessions.");
			}
			case VOICE -> {
				if (!speech.isOn()) {
					throw new ConversationException.Invalid(
							"Spoken answers are not set up on this server (the administrator sets switchboard.voice.speech.provider).");
				}
				boolean on = onOff(argument, !speech.wanted(user.id().value()));
				speech.want(user.id().value(), on);
				yield Reply.of(on ? "Spoken answers on: answers also come as audio where this platform can play it."
						: "Spoken answers off: answers come as text only.");
			}
			case ATTACH -> {
				boolean attach = onOff(argument, !user.attachNewSessions());
				conversations.setAttachNewSessions(user.id(), attach);
				yield Reply.of(attach ? "A session started by a message becomes your current one."
						: "A session started by a message no longer becomes your current one: in state new, "
								+ "every message starts its own session.");
			}
		};
	}

	private Reply userInfo(User user) {
		StringBuilder text = new StringBuilder();
		text.append("**").append(user.displayName()).append("**");
		if (user.isAdmin()) {
			text.append(" · admin");
		}
		text.append('\n');
		text.append("State: ")
			.append(user.state().name().toLowerCase())
			.append(" · mode: ")
			.append(user.mode().name().toLowerCase())
			.append('\n');
		text.append("Default model: ")
			.append(models.findOrDefault(user.defaultModel()).name())
			.append(" · longest answer: ")
			.append(user.maxOutputTokens() == null ? "model default" : user.maxOutputTokens() + " tokens")
			.append('\n');
		text.append("System prompt: ").append(quoteOrNone(user.defaultSystemPrompt())).append('\n');
		text.append("Show public sessions: ")
			.append(user.showPublicSessions() ? "on" : "off")
			.append(" · attach new sessions: ")
			.append(user.attachNewSessions() ? "on" : "off")
			.append('\n');
		text.append("Created ")
			.append(TIME.format(user.createdAt()))
			.append(" · last chat ")
			.append(TIME.format(user.updatedAt()))
			.append(" · settings changed ")
			.append(TIME.format(user.modifiedAt()))
			.append('\n');
		List<Session> sessions = conversations.sessionsFor(user, 5, 0);
		long total = conversations.countSessionsFor(user);
		text.append("Sessions (").append(total).append("): ");
		text.append(sessions.isEmpty() ? "none"
				: String.join(", ",
						sessions.stream()
							.map(s -> (s.id().equals(user.currentSession()) ? "▶ " : "") + s.id() + " " + s.title())
							.toList()));
		return new Reply(text.toString(),
				List.of(Reply.Action.of("Show public: " + (user.showPublicSessions() ? "on" : "off"),
						"/user showpublic " + (user.showPublicSessions() ? "off" : "on")),
						Reply.Action.of("Attach: " + (user.attachNewSessions() ? "on" : "off"),
								"/user attach " + (user.attachNewSessions() ? "off" : "on")),
						Reply.Action.danger("Clear", "/user clear")));
	}

	private Reply clear(User user, String decision) {
		String action = "user-clear";
		if (CANCEL.equals(decision)) {
			conversations.cancelConfirmation(user.id(), action);
			return Reply.of("Your sessions are kept.");
		}
		if (CONFIRM.equals(decision)) {
			if (!conversations.confirm(user.id(), action, "")) {
				return Reply.of("Nothing to confirm (or it expired). Send `/user clear` again.");
			}
			int removed = conversations.clearSessions(user.id());
			return Reply.of("Removed your " + removed + (removed == 1 ? " session." : " sessions."));
		}
		conversations.requestConfirmation(user.id(), action, "");
		return Reply.of(
				"Remove all " + conversations.countSessionsFor(user)
						+ " of your sessions with their messages? This cannot be undone.",
				Reply.Action.danger("Remove all", "/user clear " + CONFIRM),
				Reply.Action.of("Keep them", "/user clear " + CANCEL));
	}

	private static Reply stateReply(UserState state, String prefix) {
		String meaning = switch (state) {
			case NEW -> "your next message starts a new session.";
			case ACTIVE -> "your messages continue your current session.";
			case DISABLED -> "your messages are not answered; commands still work.";
		};
		return Reply.of(prefix + " **" + state.name().toLowerCase() + "**: " + meaning,
				Reply.Action.of("New", "/user state new"), Reply.Action.of("Active", "/user state active"),
				Reply.Action.of("Disabled", "/user state disabled"));
	}

	// ---------------------------------------------------------------- helpers

	/** The session a command acts on: the one the message names, else the current one. */
	private Optional<Session> target(User user, InboundMessage message) {
		if (message.session() != null) {
			return Optional.of(conversations.session(user.id(), message.session()));
		}
		return conversations.currentSession(user, message.place());
	}

	private Session required(User user, InboundMessage message) {
		return target(user, message).orElseThrow(() -> new ConversationException.NotFound(
				"You have no current session. Send a message to start one, or use `/session new`."));
	}

	private static boolean onOff(String argument, boolean toggled) {
		return switch (argument.strip().toLowerCase()) {
			case "" -> toggled;
			case "on", "true", "yes", "1" -> true;
			case "off", "false", "no", "0" -> false;
			default -> throw new ConversationException.Invalid("Say `on` or `off`.");
		};
	}

	private static String visibility(Session session) {
		return session.isPublic() ? "public" : "private";
	}

	private static String quoteOrNone(String text) {
		return text == null || text.isBlank() ? "none" : "\"" + text + "\"";
	}

	private static String abbreviate(String text, int max) {
		String flat = text.replaceAll("\\s+", " ").strip();
		return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
	}

	static String formatTime(Instant instant) {
		return TIME.format(instant);
	}

}
