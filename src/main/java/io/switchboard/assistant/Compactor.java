package io.switchboard.assistant;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.FactSuggestion;
import io.switchboard.conversation.MemoryProperties;
import io.switchboard.conversation.UserId;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.MessageRole;
import io.switchboard.conversation.SessionId;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.conversation.TopicSummary;
import io.switchboard.llm.ChatMessage;
import io.switchboard.llm.ChatModels;
import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.LlmException;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;
import io.switchboard.llm.TokenCounter;
import io.switchboard.usage.UsageLedger;
import io.switchboard.usage.UsagePurpose;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.stereotype.Component;

/**
 * Folds a topic's older messages into its running summary with the summary model: the
 * previous summary and the messages to fold go in, the new summary comes out, one call
 * per chunk that fits the summary model's budget. Each call is recorded in the usage
 * ledger as a summary. A failure is logged and reported as empty, never thrown: the turn
 * that needed the summary goes on without it.
 */
@Component
class Compactor {

	private static final Logger log = LoggerFactory.getLogger(Compactor.class);

	static final String INSTRUCTIONS = """
			You keep the running summary of a long conversation between a user and an assistant, so that \
			the assistant can go on without rereading it. Merge the summary so far with the new messages \
			into one updated summary. Keep what later turns may need: the user's goals, facts about the \
			user and their work, decisions, names, numbers, code identifiers, open questions and promises. \
			Drop greetings and repetition. Write plain prose or short bullet points in the conversation's \
			language, at most %d words, and nothing but the summary.""";

	/**
	 * Added to the instructions where the user wants facts proposed: the facts come after
	 * the summary, on their own lines, and are only proposals the user confirms.
	 */
	static final String SUGGEST = """

			After the summary, write a line with only FACTS: and under it, one per line starting with "- ", \
			at most 3 short lasting facts the user stated about themselves that would help in future, \
			unrelated conversations (preferences, circumstances, how they like answers), in the user's \
			words and in the first person ("I am vegetarian"). Leave out anything passing, sensitive or \
			about other people, and anything already in the summary so far. Write FACTS: none when there \
			are none.""";

	private static final java.util.regex.Pattern FACTS_LINE = java.util.regex.Pattern
		.compile("(?m)^\\s*\\**FACTS:?\\**:?[ \\t]*(.*)$");

	private final Conversations conversations;

	private final ChatModels chatModels;

	private final ModelCatalog models;

	private final TokenCounter tokens;

	private final UsageLedger usage;

	private final AssistantProperties.Compaction settings;

	private final Clock clock;

	private final MemoryProperties memory;

	Compactor(Conversations conversations, ChatModels chatModels, ModelCatalog models, TokenCounter tokens,
			UsageLedger usage, AssistantProperties properties, Clock clock, MemoryProperties memory) {
		this.memory = memory;
		this.conversations = conversations;
		this.chatModels = chatModels;
		this.models = models;
		this.tokens = tokens;
		this.usage = usage;
		this.settings = properties.compaction();
		this.clock = clock;
		if (settings.model() != null && !settings.model().isBlank() && models.find(settings.model()).isEmpty()) {
			throw new InvalidConfigurationPropertyValueException("switchboard.assistant.compaction.model",
					settings.model(), "No model of that name is configured; known models: "
							+ models.all().stream().map(ModelSpec::name).toList() + ".");
		}
	}

	AssistantProperties.Compaction settings() {
		return settings;
	}

	/** The model that writes summaries for a session on {@code sessionModel}. */
	ModelSpec summaryModel(ModelSpec sessionModel) {
		return settings.model() == null || settings.model().isBlank() ? sessionModel
				: models.findOrDefault(settings.model());
	}

	/** The most message tokens one summary call takes in. */
	int chunkTokens(ModelSpec summaryModel) {
		int window = summaryModel.contextWindow() * 95 / 100 - settings.summaryMaxTokens();
		int budget = Math.min(window, summaryModel.contextBudget());
		// the previous summary, the instructions and the overheads take the rest
		return Math.max(1_000, budget - settings.summaryMaxTokens() - 400);
	}

	/** The most message tokens one compaction folds. */
	int foldLimit(ModelSpec summaryModel) {
		return chunkTokens(summaryModel) * settings.maxChunks();
	}

	/**
	 * Folds {@code messages} (oldest first, all after what {@code previous} tells) into a
	 * new summary and stores it as telling everything through {@code throughSeq}.
	 * @param payer whose usage ledger the summary calls go to
	 * @return the stored summary; empty when a call failed (logged) or a concurrent
	 * compaction got further first
	 */
	Optional<TopicSummary> fold(SessionId session, int topic, Optional<TopicSummary> previous,
			List<StoredMessage> messages, int throughSeq, ModelSpec sessionModel, long payer) {
		return fold(session, topic, previous, messages, throughSeq, sessionModel, payer, null).summary();
	}

	/** A compaction's outcome: the summary, and the facts proposed to remember. */
	record Folded(Optional<TopicSummary> summary, List<FactSuggestion> suggested) {
	}

	/**
	 * As above; where {@code suggestFor} is given and suggestions are on
	 * ({@code switchboard.memory.suggest}), the summary model also proposes facts about
	 * that user, which are kept to be confirmed. Give it only for a private session: in a
	 * public one the messages are several people's.
	 */
	Folded fold(SessionId session, int topic, Optional<TopicSummary> previous, List<StoredMessage> messages,
			int throughSeq, ModelSpec sessionModel, long payer, UserId suggestFor) {
		List<String> proposed = suggestFor != null && memory.suggest() ? new ArrayList<>() : null;
		ModelSpec model = summaryModel(sessionModel);
		int chunkTokens = chunkTokens(model);
		String summary = previous.map(TopicSummary::text).orElse("");
		int from = previous.map(TopicSummary::fromSeq)
			.orElse(messages.isEmpty() ? throughSeq : messages.getFirst().seq());
		List<StoredMessage> chunk = new ArrayList<>();
		int chunkSize = 0;
		try {
			for (StoredMessage message : messages) {
				if (!chunk.isEmpty() && chunkSize + message.tokenCount() > chunkTokens) {
					summary = summarise(model, summary, chunk, payer, proposed);
					chunk.clear();
					chunkSize = 0;
				}
				chunk.add(message);
				chunkSize += message.tokenCount();
			}
			if (!chunk.isEmpty()) {
				summary = summarise(model, summary, chunk, payer, proposed);
			}
		}
		catch (LlmException | SummaryFailed failed) {
			log.warn(
					"compacting session {} topic {} with {} failed ({}: {}); this turn sends the newest messages "
							+ "that fit instead",
					session, topic, model.name(), failed.getClass().getSimpleName(), failed.getMessage());
			return new Folded(Optional.empty(), List.of());
		}
		int steps = previous.map(TopicSummary::steps).orElse(0) + 1;
		int tokenCount = tokens.count(summary) + TokenCounter.PER_MESSAGE_OVERHEAD;
		if (!conversations.saveSummary(session, topic, from, throughSeq, summary, tokenCount, model.name(), steps)) {
			// a concurrent compaction got further: its proposals are the ones kept
			return new Folded(conversations.summary(session, topic), List.of());
		}
		log.info("compacted session {} topic {}: messages {}-{} in a summary of {} tokens by {} (step {})", session,
				topic, from, throughSeq, tokenCount, model.name(), steps);
		List<FactSuggestion> suggested = List.of();
		if (proposed != null && !proposed.isEmpty()) {
			try {
				suggested = conversations.suggestFacts(suggestFor, proposed);
			}
			catch (RuntimeException failed) {
				// a proposal is a courtesy: the summary stands without it
				log.warn("could not keep the facts proposed for user {}: {}", suggestFor, failed.toString());
			}
		}
		return new Folded(conversations.summary(session, topic), suggested);
	}

	/**
	 * The summary and, after a {@code FACTS:} line, the facts proposed (added to
	 * {@code proposed}); without such a line the whole text is the summary.
	 */
	static String splitFacts(String answer, List<String> proposed) {
		java.util.regex.Matcher facts = FACTS_LINE.matcher(answer);
		int at = -1;
		String first = "";
		while (facts.find()) {
			at = facts.start();
			first = facts.group(1);
		}
		if (at < 0) {
			return answer.strip();
		}
		List<String> lines = new ArrayList<>();
		lines.add(first);
		lines.addAll(answer.substring(at).lines().skip(1).toList());
		for (String line : lines) {
			String fact = line.strip().replaceFirst("^([-*•]|\\d+[.)])\\s*", "").strip();
			if (!fact.isEmpty() && !fact.equalsIgnoreCase("none") && !fact.equalsIgnoreCase("none.")) {
				proposed.add(fact);
			}
		}
		return answer.substring(0, at).strip();
	}

	private String summarise(ModelSpec model, String previous, List<StoredMessage> messages, long payer,
			List<String> proposed) {
		StringBuilder text = new StringBuilder();
		text.append("Summary so far:\n").append(previous.isBlank() ? "(none yet)" : previous).append("\n\n");
		text.append("New messages:\n");
		for (StoredMessage message : messages) {
			text.append(message.role() == MessageRole.USER ? "User: " : "Assistant: ");
			for (MessagePart part : message.parts()) {
				switch (part) {
					case MessagePart.Text piece -> text.append(piece.text());
					case MessagePart.Image image -> text.append("[an image]");
					// the answer's words say what the tools gave; their raw output is not
					// context (the assembler leaves it out too)
					case MessagePart.ToolCall call -> text.append("[used ").append(call.name()).append("] ");
					case MessagePart.ToolResult result -> {
					}
				}
			}
			text.append('\n');
		}
		text.append("\nWrite the updated summary.");
		ChatRequest request = new ChatRequest(model,
				List.of(ChatMessage.system(INSTRUCTIONS.formatted(settings.summaryMaxTokens() * 3 / 4)
						+ (proposed != null ? SUGGEST : "")), ChatMessage.user(text.toString())),
				Math.min(settings.summaryMaxTokens(), model.maxOutputTokens()));
		ChatResponse response = chatModels.chat(request);
		usage.record(payer, model.name(), UsagePurpose.SUMMARY, response.usage().inputTokens(),
				response.usage().outputTokens(), response.usage().cachedInputTokens(),
				model.price().costNanos(response.usage()), clock.instant());
		String summary = proposed != null ? splitFacts(response.text(), proposed) : response.text().strip();
		if (summary.isBlank()) {
			throw new SummaryFailed("the summary model answered with nothing");
		}
		return summary;
	}

	/** A summary call that answered but gave nothing usable. */
	private static final class SummaryFailed extends RuntimeException {

		SummaryFailed(String message) {
			super(message);
		}

	}

}
