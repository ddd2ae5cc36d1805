package io.switchboard.assistant;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.MessageRole;
import io.switchboard.conversation.Exchange;
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
 * Builds a model call's context: the system prompt, then as many of the question's
 * topic's earlier answered messages as fit, newest first, then the question. It reads
 * stored messages a page at a time through the topic's index (the first page
 * {@code context-page-size} messages, later ones sized to what the budget still holds)
 * and stops as soon as the budget is full, so a turn costs the same in a session of a
 * thousand messages as in one of a hundred thousand. Token counts were taken when the
 * messages were stored, so nothing old is tokenized again.
 */
@Component
class ContextAssembler {

	/** The most messages one page may ask for, however large the window. */
	private static final int MAX_PAGE = 1000;

	private final Conversations conversations;

	private final MediaStore media;

	private final TokenCounter tokens;

	private final AssistantProperties properties;

	ContextAssembler(Conversations conversations, MediaStore media, TokenCounter tokens,
			AssistantProperties properties) {
		this.conversations = conversations;
		this.media = media;
		this.tokens = tokens;
		this.properties = properties;
	}

	/**
	 * Assembles the context for a stored question: the topic's messages before it, of the
	 * questions that were answered (a failed, refused or still pending one is left out
	 * with its answer row), newest first until the budget is full.
	 * @param shrink the share of the usual budget to use, below 1 after a provider still
	 * found the context too long
	 * @throws MessageTooLong when the question alone does not fit the model's window
	 */
	AssembledContext assemble(Exchange exchange, ModelSpec model, int maxOutputTokens, double shrink) {
		int window = (int) (model.contextWindow() * (1 - properties.contextSafetyMargin()) * shrink);
		int budget = window - maxOutputTokens - TokenCounter.PER_REQUEST_OVERHEAD;
		String systemPrompt = exchange.session().systemPrompt();
		if (systemPrompt != null && !systemPrompt.isBlank()) {
			budget -= tokens.count(systemPrompt) + TokenCounter.PER_MESSAGE_OVERHEAD;
		}
		StoredMessage question = exchange.question();
		int questionTokens = question.tokenCount();
		budget -= questionTokens;
		if (budget < 0) {
			throw new MessageTooLong(model.name(), questionTokens, window - maxOutputTokens);
		}

		Deque<StoredMessage> history = new ArrayDeque<>();
		Set<Long> unanswered = new HashSet<>();
		int beforeSeq = question.seq();
		int pageSize = properties.contextPageSize();
		int startBudget = budget;
		boolean full = false;
		int newestSeq = 0;
		while (!full) {
			List<StoredMessage> page = conversations.contextPage(question.session(), question.topic(), beforeSeq,
					pageSize);
			if (newestSeq == 0 && !page.isEmpty()) {
				newestSeq = page.getFirst().seq();
			}
			for (StoredMessage message : page) {
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
				if (message.tokenCount() > budget) {
					full = true;
					break;
				}
				budget -= message.tokenCount();
				history.addFirst(message);
			}
			if (full || page.size() < pageSize) {
				break;
			}
			beforeSeq = page.getLast().seq();
			// the next page sized to what the rest of the budget likely holds, judged by
			// the messages kept so far (plus a fifth): a large window then takes two or
			// three queries instead of dozens, which counts on a database across a
			// network
			int spent = startBudget - budget;
			int likely = (int) Math.min(MAX_PAGE,
					(long) budget * Math.max(1, history.size()) / Math.max(1, spent) * 6 / 5 + 1);
			pageSize = Math.max(properties.contextPageSize(), likely);
		}
		// a context should open with a question, as some vendors insist
		while (!history.isEmpty() && history.peekFirst().role() == MessageRole.ASSISTANT) {
			history.removeFirst();
		}
		// order numbers run 1, 2, 3... within a topic, so what precedes the oldest kept
		// was left out
		int omitted = history.isEmpty() ? newestSeq : history.peekFirst().seq() - 1;

		List<ChatMessage> messages = new ArrayList<>(history.size() + 2);
		if (systemPrompt != null && !systemPrompt.isBlank()) {
			messages.add(ChatMessage.system(systemPrompt));
		}
		for (StoredMessage message : history) {
			messages.add(new ChatMessage(message.role() == MessageRole.USER ? Role.USER : Role.ASSISTANT,
					contentOf(message.parts())));
		}
		messages.add(new ChatMessage(Role.USER, contentOf(question.parts())));
		return new AssembledContext(new ChatRequest(model, messages, maxOutputTokens), omitted);
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
	 * @param omitted earlier messages of the topic that did not fit
	 */
	record AssembledContext(ChatRequest request, int omitted) {
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
