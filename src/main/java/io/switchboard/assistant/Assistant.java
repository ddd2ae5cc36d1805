package io.switchboard.assistant;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.switchboard.conversation.AnswerRecord;
import io.switchboard.conversation.AnswerState;
import io.switchboard.conversation.ChatMode;
import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Suspensions;
import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.SessionChoice;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserState;
import io.switchboard.llm.ChatModels;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.FinishReason;
import io.switchboard.llm.LlmException;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;
import io.switchboard.llm.TokenCounter;
import io.switchboard.moderation.Moderation;
import io.switchboard.moderation.Verdict;
import io.switchboard.usage.UsageLedger;
import io.switchboard.usage.UsagePurpose;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The front door for every channel, in two steps. {@link #receive} runs when a message
 * arrives: commands are carried out and a chat message is checked and stored at once,
 * before any model is called, with its answer pending. {@link #answer} runs later, as the
 * turn that answers it: the context is assembled within the model's window, the answer
 * streamed to the channel's {@link ReplySink} and recorded with its usage, or the
 * question marked failed with a reason the user can read. Either way the question stays.
 */
@Service
public class Assistant {

	private static final Logger log = LoggerFactory.getLogger(Assistant.class);

	/**
	 * After a provider still finds the context too long, try once more with this share of
	 * it.
	 */
	private static final double SHRINK_AFTER_OVERFLOW = 0.7;

	/** The finish reason of an answer its asker stopped. */
	public static final String STOPPED = "stopped";

	public static final String STOPPED_BEFORE_TEXT = "You stopped this answer before it began.";

	private final Conversations conversations;

	private final CommandParser parser;

	private final Commands commands;

	private final ContextAssembler assembler;

	private final ChatModels chatModels;

	private final ModelCatalog models;

	private final TokenCounter tokens;

	private final UsageLedger usage;

	private final AssistantProperties properties;

	private final List<ModeHandler> modeHandlers;

	private final Moderation moderation;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final ToolLoop tools;

	private final Suspensions suspensions;

	private final AnswerStops stops;

	private final ToolConfirmations confirmations;

	private final ToolProperties toolProperties;

	Assistant(Conversations conversations, CommandParser parser, Commands commands, ContextAssembler assembler,
			ChatModels chatModels, ModelCatalog models, TokenCounter tokens, UsageLedger usage,
			AssistantProperties properties, List<ModeHandler> modeHandlers, Moderation moderation,
			TransactionTemplate transactions, Clock clock, ToolLoop tools, Suspensions suspensions, AnswerStops stops,
			ToolConfirmations confirmations, ToolProperties toolProperties) {
		this.tools = tools;
		this.stops = stops;
		this.confirmations = confirmations;
		this.toolProperties = toolProperties;
		this.suspensions = suspensions;
		this.conversations = conversations;
		this.parser = parser;
		this.commands = commands;
		this.assembler = assembler;
		this.chatModels = chatModels;
		this.models = models;
		this.tokens = tokens;
		this.usage = usage;
		this.properties = properties;
		this.modeHandlers = modeHandlers;
		this.moderation = moderation;
		this.transactions = transactions;
		this.clock = clock;
	}

	/**
	 * Takes a message in: carries out a command (or hands the message to the module of
	 * the sender's mode) and returns its replies, or checks a chat message and stores it
	 * with its answer pending. Quick: no model is called. Call it in the transaction that
	 * records the platform event, so that a message is stored exactly when its event is.
	 */
	public Received receive(InboundMessage message) {
		User user = conversations.identify(message.sender(), message.senderName());
		List<Reply> replies = new ArrayList<>(1);
		ReplySink collect = event -> {
			if (event instanceof ReplyEvent.Notice notice) {
				replies.add(notice.reply());
			}
		};
		if (suspensions.isSuspended(user.id())) {
			// an admin's lock-out: no chat and no command (not even /user state) until an
			// admin lifts it; said once per direct message, never in a group
			if (message.place().kind() != PlaceKind.GROUP) {
				replies.add(Reply.of("Your account is suspended by an administrator, so this message was not "
						+ "answered. Only an administrator can lift the suspension."));
			}
			return new Received.Replied(user, replies);
		}
		Optional<Command> command = parser.parse(message.text());
		if (command.isPresent() && command.get() instanceof Command.ToolDecision decision) {
			return decide(user, message, decision.argument());
		}
		if (command.isPresent()) {
			commands.execute(command.get(), user, message, collect);
			return new Received.Replied(user, replies);
		}
		if (user.state() == UserState.DISABLED) {
			// in a group, answering every message of a paused user would be noise
			if (message.place().kind() != PlaceKind.GROUP) {
				replies.add(Reply.of(
						"Your chat is paused (state disabled), so this message was not sent to a model. "
								+ "Send `/user state active` to continue your current session, or "
								+ "`/user state new` to start a new one with your next message.",
						Reply.Action.primary("Resume", "/user state active")));
			}
			return new Received.Replied(user, replies);
		}
		if (user.mode() != ChatMode.CHAT && message.session() == null) {
			Optional<ModeHandler> handler = modeHandlers.stream().filter(h -> h.mode() == user.mode()).findFirst();
			if (handler.isPresent()) {
				handler.get().handle(user, message, collect);
				return new Received.Replied(user, replies);
			}
		}
		return ask(user, message);
	}

	private Received ask(User user, InboundMessage message) {
		String text = message.text();
		if (text.length() > properties.maxMessageChars()) {
			return refuse(user, "Your message is too long: " + text.length() + " characters, and the limit is "
					+ properties.maxMessageChars() + ". Nothing was sent or saved.");
		}
		if (text.isBlank() && !message.hasImages()) {
			return refuse(user, "Send some text (or an image with a question).");
		}
		SessionChoice choice;
		try {
			choice = conversations.chooseSession(user, message.place(), message.session(), text);
		}
		catch (ConversationException refused) {
			return refuse(user, refused.getMessage());
		}
		ModelSpec model = models.findOrDefault(choice.model());
		String refusal = null;
		if (message.hasImages() && !model.vision()) {
			List<String> vision = models.all().stream().filter(ModelSpec::vision).map(ModelSpec::name).toList();
			refusal = "The model " + model.name() + " cannot read images. "
					+ (vision.isEmpty() ? "No configured model can."
							: "Pick one that can with `/session model <name>`: " + String.join(", ", vision) + ".");
		}
		Exchange exchange = conversations.ask(user, choice, message.parts(), assembler.count(message.parts()), refusal);
		return new Received.Asked(user, exchange, model);
	}

	/** The commands of {@code /help} as a list, for a page to offer as you type. */
	public List<CommandHelp> commandList() {
		return CommandHelp.parse(commands.help(null).text());
	}

	/** The help reply, for channels that show it unasked (e.g. on a follow event). */
	public Reply help() {
		return commands.help(null);
	}

	/**
	 * The facts proposed to the user that still wait for an answer, each as the notice
	 * with its Remember and Don't remember buttons that the turn which proposed it
	 * showed: for a page that shows them again after a reload. Answered on any platform,
	 * a proposal is gone from here too.
	 */
	public List<Reply> factProposals(io.switchboard.conversation.UserId user) {
		return conversations.factSuggestions(user).stream().map(Commands::suggestion).toList();
	}

	/**
	 * Answers a stored question: its turn. Where moderation is on for the platform, the
	 * question is checked first, and a flagged one is refused naming the category, before
	 * any model sees it. Streams the answer to {@code live} and records it with its
	 * usage, or marks the question failed with a reason the user can read. Blocks until
	 * the answer is complete (run it on a virtual thread). Safe to run again for the same
	 * question: once it is settled, nothing is asked and the stored answer is returned.
	 * @param platform where the question was asked, e.g. {@code discord}
	 * @return the assistant message as it now stands, empty when the question is gone
	 * (its session was removed meanwhile)
	 */
	public Optional<StoredMessage> answer(long answerId, String platform, ReplySink live) {
		Optional<Exchange> found = conversations.exchange(answerId);
		if (found.isEmpty() || found.get().answer().state() != AnswerState.PENDING) {
			return found.map(Exchange::answer);
		}
		Exchange exchange = found.get();
		AnswerStops.Running running = stops.begin(answerId);
		try {
			return answer(answerId, exchange, platform, live, running);
		}
		finally {
			stops.end(running);
		}
	}

	private Optional<StoredMessage> answer(long answerId, Exchange exchange, String platform, ReplySink shown,
			AnswerStops.Running running) {
		// the text the asker has seen: what a stop keeps as the answer
		StringBuilder seen = new StringBuilder();
		ReplySink live = event -> {
			if (event instanceof ReplyEvent.AnswerDelta delta) {
				if (running.requested()) {
					throw new AnswerStops.Stopped();
				}
				seen.append(delta.text());
			}
			shown.accept(event);
		};
		StoredMessage question = exchange.question();
		User user = conversations.findUser(question.author()).orElse(null);
		ModelSpec model = models.findOrDefault(exchange.session().model());
		Integer wanted = user == null ? null : user.maxOutputTokens();
		int maxOutput = Math.min(wanted == null ? model.maxOutputTokens() : wanted, model.maxOutputTokens());
		live.accept(new ReplyEvent.AnswerStarted(model.name(), model.demo(), exchange.session().id(),
				exchange.session().title()));
		// here, in the turn, and not when the message arrives: the check is a call to
		// another server, which must not run inside the intake's transaction
		switch (moderation.check(platform, question.text())) {
			case Verdict.Flagged flagged -> {
				return settle(answerId, AnswerState.REFUSED, "This message was not answered: the moderation check "
						+ "flagged it as " + flagged.categoryWords() + ".", live);
			}
			case Verdict.Unavailable unavailable -> {
				return settle(answerId, AnswerState.FAILED, "This message could not be checked by moderation just now, "
						+ "so it was not sent to a model. Please ask again in a moment.", live);
			}
			case Verdict.Allowed allowed -> {
			}
		}

		long started = System.nanoTime();
		ContextAssembler.AssembledContext context = null;
		ChatResponse response;
		ToolContext toolContext = toolContext(user, exchange, platform);
		Map<String, AssistantTool> offered = user == null ? Map.of() : tools.toolsFor(model, toolContext);
		List<MessagePart> steps;
		ToolLoop.Asking asking;
		// an answer that carries on after the user's yes or no runs that call first
		ToolLoop.Decided decided = confirmations.continuing(answerId)
			.map(pending -> new ToolLoop.Decided(pending.callId(), pending.tool(), pending.arguments(),
					Boolean.TRUE.equals(pending.confirmed())))
			.orElse(null);
		try {
			context = assembler.assemble(exchange, model, maxOutput, 1.0);
			// facts its compaction proposed: the channel shows them with their buttons
			// after the answer (the web page at once)
			context.suggested()
				.forEach(suggestion -> live.accept(new ReplyEvent.Notice(Commands.suggestion(suggestion))));
			try {
				ToolLoop.Outcome outcome = tools.answer(context.request(), offered, toolContext, live, decided);
				response = outcome.response();
				steps = outcome.steps();
				asking = outcome.asking();
			}
			catch (LlmException.ContextLengthExceeded overflow) {
				// our count and the provider's differ for this model: give it a smaller
				// context
				log.info("provider {} found the context of {} too long; retrying with less", overflow.provider(),
						model.name());
				context = assembler.assemble(exchange, model, maxOutput, SHRINK_AFTER_OVERFLOW);
				ToolLoop.Outcome outcome = tools.answer(context.request(), offered, toolContext, live, decided);
				response = outcome.response();
				steps = outcome.steps();
				asking = outcome.asking();
			}
		}
		catch (AnswerStops.Stopped stopped) {
			return keepStopped(answerId, exchange, model, context, seen.toString(), started, shown);
		}
		catch (ContextAssembler.MessageTooLong tooLong) {
			return settle(answerId, AnswerState.REFUSED, tooLong.getMessage(), live);
		}
		catch (LlmException.ContextLengthExceeded stillTooLong) {
			return settle(answerId, AnswerState.FAILED, "This conversation is too long for " + model.name()
					+ ". Start a new topic with /new and ask again.", live);
		}
		catch (LlmException failed) {
			log.warn("model {} via {} failed: {} {}", model.name(), failed.provider(),
					failed.getClass().getSimpleName(), failed.getMessage());
			return settle(answerId, AnswerState.FAILED, failed.userMessage(), live);
		}
		long latencyMillis = (System.nanoTime() - started) / 1_000_000;

		if (response.text().isBlank() && response.finishReason() == FinishReason.CONTENT_FILTER) {
			return settle(answerId, AnswerState.FAILED, "The model's content filter declined this request.", live);
		}
		if (asking != null) {
			// the answer ends with the question; the buttons follow it as a notice
			String waiting = waitingLine(asking.tool());
			live.accept(new ReplyEvent.AnswerDelta(response.text().isBlank() ? waiting : "\n\n" + waiting));
			response = new ChatResponse(
					response.text().isBlank() ? waiting : response.text().stripTrailing() + "\n\n" + waiting,
					response.usage(), response.finishReason());
		}
		long cost = model.price().costNanos(response.usage());
		AnswerRecord record = new AnswerRecord(model.name(), model.provider(), response.usage().inputTokens(),
				response.usage().outputTokens(), cost, latencyMillis, context.omitted(),
				response.finishReason().name().toLowerCase(), response.usage().cachedInputTokens());
		ChatResponse answered = response;
		List<MessagePart> toolSteps = steps;
		ToolLoop.Asking asked = asking;
		int answerTokens = tokens.count(answered.text()) + TokenCounter.PER_MESSAGE_OVERHEAD;
		long payer = question.author() == null ? exchange.session().owner().value() : question.author().value();
		Optional<Exchange> written = transactions.execute(status -> {
			Optional<Exchange> answer = conversations.answer(exchange, toolSteps, answered.text(), answerTokens,
					record);
			answer.ifPresent(stored -> usage.record(payer, model.name(), UsagePurpose.CHAT,
					answered.usage().inputTokens(), answered.usage().outputTokens(),
					answered.usage().cachedInputTokens(), cost, clock.instant()));
			if (answer.isPresent() && asked != null && user != null) {
				confirmations.ask(user.id(), exchange.session().id(), answerId, asked.callId(), asked.tool(),
						asked.arguments(), clock.instant(), clock.instant().plus(toolProperties.confirmTimeout()));
			}
			return answer;
		});
		if (written.isEmpty()) {
			// settled meanwhile by another run of this turn, or removed with its session
			return conversations.message(answerId);
		}
		// with the session as touched by the answer's write (read with it where the
		// store can)
		live.accept(new ReplyEvent.AnswerCompleted(written.get(), response.text(), response.usage(), cost,
				response.finishReason(), model.demo()));
		return written.map(Exchange::answer);
	}

	/**
	 * Keeps what the asker saw of a stopped answer as the answer, marked {@code stopped}.
	 * The provider reports no usage for a stream cut short, so the tokens are our own
	 * count of what was sent and shown (what the provider bills, give or take).
	 */
	private Optional<StoredMessage> keepStopped(long answerId, Exchange exchange, ModelSpec model,
			ContextAssembler.AssembledContext context, String seen, long started, ReplySink live) {
		log.info("answer {} on {} stopped by its asker after {} characters", answerId, model.name(), seen.length());
		int input = context == null ? 0 : tokens.count(context.request().messages());
		int output = seen.isEmpty() ? 0 : tokens.count(seen);
		io.switchboard.llm.TokenUsage estimated = new io.switchboard.llm.TokenUsage(input, output);
		long cost = model.price().costNanos(estimated);
		StoredMessage question = exchange.question();
		long payer = question.author() == null ? exchange.session().owner().value() : question.author().value();
		if (seen.isBlank()) {
			usage.record(payer, model.name(), UsagePurpose.CHAT, input, 0, 0, cost, clock.instant());
			return settle(answerId, AnswerState.FAILED, STOPPED_BEFORE_TEXT, live);
		}
		long latencyMillis = (System.nanoTime() - started) / 1_000_000;
		AnswerRecord record = new AnswerRecord(model.name(), model.provider(), input, output, cost, latencyMillis,
				context == null ? 0 : context.omitted(), STOPPED);
		int answerTokens = output + TokenCounter.PER_MESSAGE_OVERHEAD;
		Optional<StoredMessage> written = transactions.execute(status -> {
			Optional<StoredMessage> answer = conversations.answer(answerId, seen, answerTokens, record);
			answer.ifPresent(stored -> usage.record(payer, model.name(), UsagePurpose.CHAT, input, output, 0, cost,
					clock.instant()));
			return answer;
		});
		if (written.isEmpty()) {
			return conversations.message(answerId);
		}
		live.accept(new ReplyEvent.AnswerCompleted(new Exchange(exchange.session(), question, written.get()), seen,
				estimated, cost, FinishReason.OTHER, model.demo()));
		return written;
	}

	/**
	 * The question an answer ended with, when a tool it wanted needs the user's yes: a
	 * notice with the buttons to say it, delivered right after the answer by the channel.
	 */
	public Optional<Reply> confirmationAsked(long answerId) {
		return confirmations.askedIn(answerId).map(pending -> {
			String arguments = pending.arguments().isBlank() ? "{}" : pending.arguments();
			if (arguments.length() > 300) {
				arguments = arguments.substring(0, 299) + "…";
			}
			return Reply.of("🔐 Run **" + pending.tool() + "** with `" + arguments.replace("`", "'") + "`?",
					Reply.Action.primary("Run it", "/tool confirm " + pending.id()),
					Reply.Action.danger("Don't run it", "/tool decline " + pending.id()));
		});
	}

	private static String waitingLine(String tool) {
		return "(Waiting for your yes to run " + tool + ".)";
	}

	/**
	 * {@code /tool confirm|decline <id>}, a press of the buttons under a tool's question:
	 * decides it once, and stores the decision as the user's message in the session that
	 * asked, with an answer pending that runs the call first (or tells the model it was
	 * declined) and carries on, as its own turn.
	 */
	private Received decide(User user, InboundMessage message, String argument) {
		String[] words = argument == null ? new String[0] : argument.strip().split("\\s+");
		if (words.length != 2 || !(words[0].equalsIgnoreCase("confirm") || words[0].equalsIgnoreCase("decline"))
				|| !words[1].matches("\\d{1,18}")) {
			return refuse(user, "Usage: `/tool confirm <number>` or `/tool decline <number>` (the buttons under a "
					+ "tool's question send them).");
		}
		boolean confirmed = words[0].equalsIgnoreCase("confirm");
		long id = Long.parseLong(words[1]);
		Optional<ToolConfirmations.Pending> pending = confirmations.find(id)
			.filter(found -> found.user().equals(user.id()));
		if (pending.isEmpty()) {
			return refuse(user, "There is no tool question " + id + " for you.");
		}
		if (pending.get().confirmed() != null) {
			return refuse(user, "That question was answered already.");
		}
		if (!confirmations.decide(id, user.id(), confirmed, clock.instant())) {
			return refuse(user, "That question expired (or was answered meanwhile): ask again if you still want it.");
		}
		Session session;
		try {
			session = conversations.session(user.id(), pending.get().session());
		}
		catch (ConversationException gone) {
			return refuse(user, gone.getMessage());
		}
		String tool = pending.get().tool();
		List<MessagePart> parts = List
			.of(new MessagePart.Text(confirmed ? "✅ Yes, run " + tool + "." : "❌ No, do not run " + tool + "."));
		Exchange exchange = conversations.ask(user, new SessionChoice.Existing(session), parts, assembler.count(parts),
				null);
		confirmations.continuedIn(id, exchange.answerId());
		return new Received.Asked(user, exchange, models.findOrDefault(session.model()));
	}

	/**
	 * Where tools run for this question: the place its session began when that is on the
	 * asking platform (a group, a thread), else a direct chat there; and the asker as
	 * that platform knows them. An image a tool draws is delivered there.
	 */
	private ToolContext toolContext(User user, Exchange exchange, String platform) {
		var origin = exchange.session().origin();
		var place = origin != null && (platform == null || origin.platform().equals(platform)) ? origin
				: "web".equals(platform) ? io.switchboard.conversation.Place.web()
						: platform == null ? null : io.switchboard.conversation.Place.direct(platform);
		var requester = user == null || place == null ? null
				: conversations.identityOn(user.id(), place.platform()).orElse(null);
		return new ToolContext(user, exchange.session(), requester, place, exchange.question().id());
	}

	private Optional<StoredMessage> settle(long answerId, AnswerState state, String reason, ReplySink live) {
		Optional<StoredMessage> settled = conversations.settle(answerId, state, reason);
		live.accept(new ReplyEvent.AnswerFailed(reason));
		return settled;
	}

	private static Received refuse(User user, String reason) {
		return new Received.Replied(user, List.of(Reply.of(reason)));
	}

}
