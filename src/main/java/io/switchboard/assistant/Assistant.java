package io.switchboard.assistant;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import io.switchboard.conversation.AnswerRecord;
import io.switchboard.conversation.ChatMode;
import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.SessionChoice;
import io.switchboard.conversation.User;
import io.switchboard.conversation.UserState;
import io.switchboard.llm.ChatModels;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.FinishReason;
import io.switchboard.llm.LlmException;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;
import io.switchboard.llm.TokenCounter;
import io.switchboard.usage.UsageLedger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The front door for every channel: a message goes in, events come out to the channel's
 * {@link ReplySink}. Commands get their replies; a chat message is checked, its session
 * chosen, its context assembled within the model's window, the answer streamed, and only
 * then are question and answer recorded together, so a refused or failed message leaves
 * nothing behind.
 */
@Service
public class Assistant {

	private static final Logger log = LoggerFactory.getLogger(Assistant.class);

	/**
	 * After a provider still finds the context too long, try once more with this share of
	 * it.
	 */
	private static final double SHRINK_AFTER_OVERFLOW = 0.7;

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

	private final Clock clock;

	Assistant(Conversations conversations, CommandParser parser, Commands commands, ContextAssembler assembler,
			ChatModels chatModels, ModelCatalog models, TokenCounter tokens, UsageLedger usage,
			AssistantProperties properties, List<ModeHandler> modeHandlers, Clock clock) {
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
		this.clock = clock;
	}

	/**
	 * Handles one message; blocks until the answer is complete (run it on a virtual
	 * thread).
	 */
	public Outcome handle(InboundMessage message, ReplySink sink) {
		User user = conversations.identify(message.sender(), message.senderName());
		Optional<Command> command = parser.parse(message.text());
		if (command.isPresent()) {
			commands.execute(command.get(), user, message, sink);
			return Outcome.COMMAND;
		}
		if (user.state() == UserState.DISABLED) {
			// in a group, answering every message of a paused user would be noise
			if (message.place().kind() != PlaceKind.GROUP) {
				sink.accept(new ReplyEvent.Notice(Reply.of(
						"Your chat is paused (state disabled), so this message was not sent to a model. "
								+ "Send `/user state active` to continue.",
						Reply.Action.primary("Resume", "/user state active"))));
			}
			return Outcome.IGNORED;
		}
		if (user.mode() != ChatMode.CHAT && message.session() == null) {
			Optional<ModeHandler> handler = modeHandlers.stream().filter(h -> h.mode() == user.mode()).findFirst();
			if (handler.isPresent()) {
				handler.get().handle(user, message, sink);
				return Outcome.DELEGATED;
			}
		}
		return chat(user, message, sink);
	}

	/** The help reply, for channels that show it unasked (e.g. on a follow event). */
	public Reply help() {
		return commands.help(null);
	}

	private Outcome chat(User user, InboundMessage message, ReplySink sink) {
		String text = message.text();
		if (text.length() > properties.maxMessageChars()) {
			return refuse(sink, "Your message is too long: " + text.length() + " characters, and the limit is "
					+ properties.maxMessageChars() + ". Nothing was sent or saved.");
		}
		if (text.isBlank() && !message.hasImages()) {
			return refuse(sink, "Send some text (or an image with a question).");
		}
		SessionChoice choice;
		try {
			choice = conversations.chooseSession(user, message.place(), message.session(), text);
		}
		catch (ConversationException refused) {
			return refuse(sink, refused.getMessage());
		}
		ModelSpec model = models.findOrDefault(choice.model());
		if (message.hasImages() && !model.vision()) {
			List<String> vision = models.all().stream().filter(ModelSpec::vision).map(ModelSpec::name).toList();
			return refuse(sink,
					"The model " + model.name() + " cannot read images. " + (vision.isEmpty()
							? "No configured model can."
							: "Pick one that can with `/session model <name>`: " + String.join(", ", vision) + "."));
		}
		int maxOutput = Math.min(user.maxOutputTokens() == null ? model.maxOutputTokens() : user.maxOutputTokens(),
				model.maxOutputTokens());
		String title = choice instanceof SessionChoice.Existing existing ? existing.session().title()
				: ((SessionChoice.Fresh) choice).title();
		sink.accept(new ReplyEvent.AnswerStarted(model.name(), model.demo(), title));

		long started = System.nanoTime();
		ContextAssembler.AssembledContext context;
		ChatResponse response;
		try {
			context = assembler.assemble(choice, message.parts(), model, maxOutput, 1.0);
			try {
				response = chatModels.stream(context.request(),
						piece -> sink.accept(new ReplyEvent.AnswerDelta(piece)));
			}
			catch (LlmException.ContextLengthExceeded overflow) {
				// our count and the provider's differ for this model: give it a smaller
				// context
				log.info("provider {} found the context of {} too long; retrying with less", overflow.provider(),
						model.name());
				context = assembler.assemble(choice, message.parts(), model, maxOutput, SHRINK_AFTER_OVERFLOW);
				response = chatModels.stream(context.request(),
						piece -> sink.accept(new ReplyEvent.AnswerDelta(piece)));
			}
		}
		catch (ContextAssembler.MessageTooLong tooLong) {
			sink.accept(new ReplyEvent.AnswerFailed(tooLong.getMessage()));
			return Outcome.REFUSED;
		}
		catch (LlmException.ContextLengthExceeded stillTooLong) {
			sink.accept(new ReplyEvent.AnswerFailed("This conversation is too long for " + model.name()
					+ ". Start a new topic with /new and ask again."));
			return Outcome.FAILED;
		}
		catch (LlmException failed) {
			log.warn("model {} via {} failed: {} {}", model.name(), failed.provider(),
					failed.getClass().getSimpleName(), failed.getMessage());
			sink.accept(new ReplyEvent.AnswerFailed(failed.userMessage()));
			return Outcome.FAILED;
		}
		long latencyMillis = (System.nanoTime() - started) / 1_000_000;

		if (response.text().isBlank() && response.finishReason() == FinishReason.CONTENT_FILTER) {
			sink.accept(new ReplyEvent.AnswerFailed("The model's content filter declined this request."));
			return Outcome.FAILED;
		}
		long cost = model.price().costNanos(response.usage());
		AnswerRecord record = new AnswerRecord(model.name(), model.provider(), response.usage().inputTokens(),
				response.usage().outputTokens(), cost, latencyMillis, context.omitted(),
				response.finishReason().name().toLowerCase());
		List<MessagePart> question = message.parts();
		int answerTokens = tokens.count(response.text()) + TokenCounter.PER_MESSAGE_OVERHEAD;
		Exchange exchange = conversations.recordExchange(user, choice, question, context.questionTokens(),
				response.text(), answerTokens, record);
		usage.record(user.id().value(), model.name(), response.usage().inputTokens(), response.usage().outputTokens(),
				cost, clock.instant());
		sink.accept(new ReplyEvent.AnswerCompleted(exchange, response.text(), response.usage(), cost,
				response.finishReason(), model.demo()));
		return Outcome.ANSWERED;
	}

	private static Outcome refuse(ReplySink sink, String reason) {
		sink.accept(new ReplyEvent.Notice(Reply.of(reason)));
		return Outcome.REFUSED;
	}

}
