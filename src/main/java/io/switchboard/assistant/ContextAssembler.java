package io.switchboard.assistant;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Fact;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.SessionId;
import io.switchboard.conversation.TopicSummary;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.MessageRole;
import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.FactSuggestion;
import io.switchboard.conversation.UserId;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.llm.ChatMessage;
import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ContentPart;
import io.switchboard.llm.ModelSpec;
import io.switchboard.llm.Role;
import io.switchboard.llm.TokenCounter;
import io.switchboard.media.MediaStore;

import org.springframework.stereotype.Component;

/**
 * Builds a model call's context within the model's context budget (and window): the
 * system prompt with the asking user's remembered facts, the topic's running summary if
 * it was compacted, then the topic's later answered messages word for word, then the
 * question. When those do not fit the budget, the topic is compacted first: the older
 * messages are folded into the summary by the {@link Compactor}, and only the latest (at
 * least {@code recent-messages} of them, or all that fit) stay word for word, filling
 * about {@code keep-share} of the budget. Later turns append to that unchanged start
 * until the budget is full again, so the prompt's prefix stays byte-identical for many
 * turns and providers' prompt caches hit. A summary that fails leaves the turn with the
 * newest messages that fit.
 * <p>
 * Stored messages are read a page at a time through the topic's index, newest first, and
 * reading stops once the budget (and what one compaction may fold) is full, so a turn
 * costs the same in a session of a thousand messages as in one of a hundred thousand.
 * Token counts were taken when the messages were stored, so nothing old is tokenized
 * again.
 */
@Component
class ContextAssembler {

	/** The most messages one page may ask for, however large the window. */
	private static final int MAX_PAGE = 1000;

	static final String SUMMARY_HEADING = "Summary of the earlier conversation:\n";

	static final String MEMORY_HEADING = "What the user asked you to remember about them:";

	private final Conversations conversations;

	private final MediaStore media;

	private final TokenCounter tokens;

	private final AssistantProperties properties;

	private final Compactor compactor;

	ContextAssembler(Conversations conversations, MediaStore media, TokenCounter tokens, AssistantProperties properties,
			Compactor compactor) {
		this.conversations = conversations;
		this.media = media;
		this.tokens = tokens;
		this.properties = properties;
		this.compactor = compactor;
	}

	/**
	 * Assembles the context for a stored question: the topic's messages before it, of the
	 * questions that were answered (a failed, refused or still pending one is left out
	 * with its answer row), compacting the topic first when they do not fit the budget.
	 * @param shrink the share of the usual budget to use, below 1 after a provider still
	 * found the context too long
	 * @throws MessageTooLong when the question alone does not fit the model's window
	 */
	AssembledContext assemble(Exchange exchange, ModelSpec model, int maxOutputTokens, double shrink) {
		int window = (int) (model.contextWindow() * (1 - properties.contextSafetyMargin()) * shrink);
		int windowInput = window - maxOutputTokens - TokenCounter.PER_REQUEST_OVERHEAD;
		int budget = model.contextBudget() < model.contextWindow()
				? Math.min(windowInput, (int) (model.contextBudget() * shrink) - TokenCounter.PER_REQUEST_OVERHEAD)
				: windowInput;
		Session session = exchange.session();
		StoredMessage question = exchange.question();
		Conversations.ContextNotes notes = conversations.contextNotes(question.author(), session.id(),
				question.topic());
		String system = systemText(session.systemPrompt(), notes.facts());
		int systemTokens = system.isEmpty() ? 0 : tokens.count(system) + TokenCounter.PER_MESSAGE_OVERHEAD;
		int questionTokens = question.tokenCount();
		if (windowInput - systemTokens - questionTokens < 0) {
			throw new MessageTooLong(model.name(), questionTokens, window - maxOutputTokens);
		}
		// a question longer than the budget but within the window is answered alone
		int fixed = systemTokens + questionTokens;

		Optional<TopicSummary> summary = notes.summary();
		int told = summary.map(TopicSummary::throughSeq).orElse(0);
		AssistantProperties.Compaction compaction = compactor.settings();
		int available = budget - fixed - summaryTokens(summary);
		int readLimit = compaction.enabled()
				? Math.max(available, 0) + compactor.foldLimit(compactor.summaryModel(model)) : available;
		List<StoredMessage> newestFirst = read(question.session(), question.topic(), question.seq(), told, readLimit);
		int total = newestFirst.stream().mapToInt(StoredMessage::tokenCount).sum();
		if (total <= available) {
			return build(system, summary, newestFirst, question, model, maxOutputTokens);
		}
		if (compaction.enabled()) {
			// the word-for-word part after this compaction: at least recent-messages,
			// then up to keep-share of the budget, leaving room for the new summary
			int room = budget - fixed - compaction.summaryMaxTokens() - TokenCounter.PER_MESSAGE_OVERHEAD;
			int target = Math.min(room, (int) (budget * compaction.keepShare()) - fixed);
			List<StoredMessage> keep = keep(newestFirst, compaction.recentMessages(), room, target);
			List<StoredMessage> fold = newestFirst.subList(keep.size(), newestFirst.size()).reversed();
			if (!fold.isEmpty()) {
				int throughSeq = fold.getLast().seq();
				long payer = question.author() == null ? session.owner().value() : question.author().value();
				// facts are proposed only to the asker of a private session: a public
				// one holds other people's messages too
				Compactor.Folded outcome = compactor.fold(session.id(), question.topic(), summary, fold, throughSeq,
						model, payer, session.isPublic() ? null : question.author());
				Optional<TopicSummary> folded = outcome.summary();
				if (folded.isPresent()) {
					int after = folded.get().throughSeq();
					List<StoredMessage> verbatim = fit(
							newestFirst.stream().filter(message -> message.seq() > after).toList(),
							budget - fixed - summaryTokens(folded));
					return build(system, folded, verbatim, question, model, maxOutputTokens)
						.suggesting(outcome.suggested());
				}
			}
		}
		// not compacted (off, or the summary failed): the newest messages that fit
		return build(system, summary, fit(newestFirst, available), question, model, maxOutputTokens);
	}

	/**
	 * Compacts a session's current topic now ({@code /compact}): everything but its
	 * latest {@code recent-messages} answered messages is folded into the summary.
	 * @return the new summary; empty when there was nothing to fold or the summary failed
	 * (logged)
	 */
	Optional<TopicSummary> compactNow(Session session, ModelSpec model, long payer) {
		int topic = session.currentTopic();
		Optional<TopicSummary> summary = conversations.summary(session.id(), topic);
		int told = summary.map(TopicSummary::throughSeq).orElse(0);
		List<StoredMessage> newestFirst = read(session.id(), topic, Integer.MAX_VALUE, told,
				compactor.foldLimit(compactor.summaryModel(model)) + model.contextBudget());
		List<StoredMessage> keep = keep(newestFirst, compactor.settings().recentMessages(), Integer.MAX_VALUE, 0);
		List<StoredMessage> fold = newestFirst.subList(keep.size(), newestFirst.size()).reversed();
		if (fold.isEmpty()) {
			return Optional.empty();
		}
		// its proposals wait for the user's confirmation (see /memory)
		return compactor
			.fold(session.id(), topic, summary, fold, fold.getLast().seq(), model, payer,
					session.isPublic() ? null : new UserId(payer))
			.summary();
	}

	/**
	 * A topic's answered messages after {@code told} and before {@code beforeSeq}, newest
	 * first, until their tokens pass {@code limit} (the message that passes it included).
	 */
	private List<StoredMessage> read(SessionId session, int topic, int beforeSeq, int told, int limit) {
		List<StoredMessage> kept = new ArrayList<>();
		Set<Long> unanswered = new HashSet<>();
		int pageSize = properties.contextPageSize();
		int spent = 0;
		while (true) {
			List<StoredMessage> page = conversations.contextPage(session, topic, beforeSeq, pageSize);
			for (StoredMessage message : page) {
				if (message.seq() <= told) {
					return kept;
				}
				if (message.role() == MessageRole.ASSISTANT && !message.answered()) {
					// newest first: the answer row comes before its question
					if (message.replyTo() != null) {
						unanswered.add(message.replyTo());
					}
					continue;
				}
				if (unanswered.remove(message.id())) {
					continue;
				}
				kept.add(message);
				spent += message.tokenCount();
				if (spent > limit) {
					return kept;
				}
			}
			if (page.size() < pageSize) {
				return kept;
			}
			beforeSeq = page.getLast().seq();
			// the next page sized to what the rest of the limit likely holds, judged by
			// the messages kept so far (plus a fifth): a large budget then takes two or
			// three queries instead of dozens, which counts on a database across a
			// network
			int likely = (int) Math.min(MAX_PAGE,
					(long) Math.max(0, limit - spent) * Math.max(1, kept.size()) / Math.max(1, spent) * 6 / 5 + 1);
			pageSize = Math.max(properties.contextPageSize(), likely);
		}
	}

	/**
	 * The newest messages to keep word for word after a compaction: at least
	 * {@code atLeast} while they fit {@code room}, then more while they fit
	 * {@code target}; starting with a question.
	 */
	private static List<StoredMessage> keep(List<StoredMessage> newestFirst, int atLeast, int room, int target) {
		int count = 0;
		int spent = 0;
		for (StoredMessage message : newestFirst) {
			int limit = count < atLeast ? room : target;
			if (spent + message.tokenCount() > limit) {
				break;
			}
			spent += message.tokenCount();
			count++;
		}
		// the word-for-word part opens with a question, its answer's partner goes into
		// the summary with the rest
		while (count > 0 && newestFirst.get(count - 1).role() == MessageRole.ASSISTANT) {
			count--;
		}
		return newestFirst.subList(0, count);
	}

	/**
	 * The newest of {@code newestFirst} that fit {@code budget}, starting with a
	 * question.
	 */
	private static List<StoredMessage> fit(List<StoredMessage> newestFirst, int budget) {
		int count = 0;
		int spent = 0;
		for (StoredMessage message : newestFirst) {
			if (spent + message.tokenCount() > budget) {
				break;
			}
			spent += message.tokenCount();
			count++;
		}
		while (count > 0 && newestFirst.get(count - 1).role() == MessageRole.ASSISTANT) {
			count--;
		}
		return newestFirst.subList(0, count);
	}

	private AssembledContext build(String system, Optional<TopicSummary> summary, List<StoredMessage> newestFirst,
			StoredMessage question, ModelSpec model, int maxOutputTokens) {
		List<StoredMessage> history = new ArrayList<>(newestFirst).reversed();
		// a context should open with a question, as some vendors insist
		while (!history.isEmpty() && history.getFirst().role() == MessageRole.ASSISTANT) {
			history.removeFirst();
		}
		List<ChatMessage> messages = new ArrayList<>(history.size() + 3);
		if (!system.isEmpty()) {
			messages.add(ChatMessage.system(system));
		}
		summary.ifPresent(told -> messages.add(ChatMessage.system(SUMMARY_HEADING + told.text())));
		for (StoredMessage message : history) {
			messages.add(new ChatMessage(message.role() == MessageRole.USER ? Role.USER : Role.ASSISTANT,
					contentOf(message.parts())));
		}
		messages.add(new ChatMessage(Role.USER, contentOf(question.parts())));
		// order numbers run 1, 2, 3... within a topic: what precedes the first message
		// sent word for word and is not told by the summary was left out
		int firstVerbatim = history.isEmpty() ? question.seq() : history.getFirst().seq();
		int toldCount = summary
			.map(told -> Math.max(0, Math.min(told.throughSeq(), firstVerbatim - 1) - told.fromSeq() + 1))
			.orElse(0);
		int omitted = Math.max(0, firstVerbatim - 1 - toldCount);
		return new AssembledContext(new ChatRequest(model, messages, maxOutputTokens), omitted,
				summary.map(TopicSummary::throughSeq).orElse(0));
	}

	/** The system prompt, with the user's remembered facts after it. */
	static String systemText(String systemPrompt, List<Fact> facts) {
		StringBuilder text = new StringBuilder(systemPrompt == null ? "" : systemPrompt.strip());
		if (!facts.isEmpty()) {
			if (!text.isEmpty()) {
				text.append("\n\n");
			}
			text.append(MEMORY_HEADING);
			for (Fact fact : facts) {
				text.append("\n- ").append(fact.text());
			}
		}
		return text.toString();
	}

	private static int summaryTokens(Optional<TopicSummary> summary) {
		return summary.map(TopicSummary::tokenCount).orElse(0);
	}

	/**
	 * Tokens a message occupies in a context; stored with it so it is counted only once.
	 */
	int count(List<MessagePart> parts) {
		int total = TokenCounter.PER_MESSAGE_OVERHEAD;
		for (MessagePart part : parts) {
			total += switch (part) {
				case MessagePart.Text text -> tokens.count(text.text());
				case MessagePart.Image image -> tokens.countImage(image.width(), image.height());
				// an earlier answer's tool steps stay out of later contexts: its text
				// says
				// what came of them
				case MessagePart.ToolCall call -> 0;
				case MessagePart.ToolResult result -> 0;
			};
		}
		return total;
	}

	private List<ContentPart> contentOf(List<MessagePart> parts) {
		List<ContentPart> content = new ArrayList<>(parts.size());
		for (MessagePart part : parts) {
			switch (part) {
				case MessagePart.Text text -> content.add(new ContentPart.Text(text.text()));
				case MessagePart.Image image -> media.load(image.sha256())
					.ifPresent(stored -> content.add(new ContentPart.Image(stored.ref().mimeType(), stored.bytes())));
				case MessagePart.ToolCall call -> {
				}
				case MessagePart.ToolResult result -> {
				}
			}
		}
		if (content.isEmpty()) {
			content.add(new ContentPart.Text(""));
		}
		return content;
	}

	/**
	 * An assembled context.
	 *
	 * @param omitted earlier messages of the topic neither sent word for word nor told by
	 * the summary
	 * @param summarizedThrough the last message the topic's summary tells, 0 when none
	 */
	record AssembledContext(ChatRequest request, int omitted, int summarizedThrough, List<FactSuggestion> suggested) {

		AssembledContext(ChatRequest request, int omitted, int summarizedThrough) {
			this(request, omitted, summarizedThrough, List.of());
		}

		AssembledContext {
			suggested = List.copyOf(suggested);
		}

		/** The same context, with the facts its compaction proposed to remember. */
		AssembledContext suggesting(List<FactSuggestion> facts) {
			return new AssembledContext(request, omitted, summarizedThrough, facts);
		}

	}

	/** The new message alone does not fit the model's window. */
	static final class MessageTooLong extends RuntimeException {

		MessageTooLong(String model, int questionTokens, int available) {
			super("Your message is too long for " + model + ": it has about " + questionTokens
					+ " tokens, and the model can read about " + Math.max(available, 0)
					+ " besides its answer. Please shorten it or pick a model with a larger context.");
		}

	}

}
