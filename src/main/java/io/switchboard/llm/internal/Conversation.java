package io.switchboard.llm.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;

import io.switchboard.llm.ChatMessage;
import io.switchboard.llm.ContentPart;
import io.switchboard.llm.Role;

/**
 * Turns our messages into LangChain4j's, shaped the way the strictest vendor accepts
 * them. Anthropic rejects a conversation whose first turn is the assistant's, turns of
 * one role in a row and blank text blocks; Gemini tolerates them but reads the cleaned-up
 * form just as well. So: system messages go first (LangChain4j sends them as the vendor's
 * system instruction), blank text parts are dropped, leading assistant turns are dropped,
 * and consecutive turns of one role are merged.
 */
public final class Conversation {

	/** The attribute LangChain4j's Anthropic mapper turns into a cache breakpoint. */
	private static final String CACHE_CONTROL = "cache_control";

	private Conversation() {
	}

	/**
	 * The messages in LangChain4j's form.
	 * @throws IllegalArgumentException when no user turn is left to answer
	 */
	public static List<dev.langchain4j.data.message.ChatMessage> toLangChain4j(List<ChatMessage> messages) {
		return toLangChain4j(messages, false);
	}

	/**
	 * The messages in LangChain4j's form; with {@code cacheBreakpoint}, the last user
	 * turn is marked for the vendor's prompt cache (LangChain4j's Anthropic mapper reads
	 * the {@code cache_control} attribute), so the next turn, which repeats everything up
	 * to here and adds to it, reads this prefix from the cache.
	 * @throws IllegalArgumentException when no user turn is left to answer
	 */
	public static List<dev.langchain4j.data.message.ChatMessage> toLangChain4j(List<ChatMessage> messages,
			boolean cacheBreakpoint) {
		List<dev.langchain4j.data.message.ChatMessage> system = new ArrayList<>();
		List<Turn> turns = new ArrayList<>();
		for (ChatMessage message : messages) {
			if (message.role() == Role.SYSTEM) {
				if (!message.text().isBlank()) {
					system.add(SystemMessage.from(message.text()));
				}
				continue;
			}
			List<ContentPart> parts = message.parts()
				.stream()
				.filter(part -> !(part instanceof ContentPart.Text text && text.text().isBlank()))
				// the vendors take images from the user only
				.filter(part -> message.role() == Role.USER || !(part instanceof ContentPart.Image))
				.toList();
			if (parts.isEmpty() || (turns.isEmpty() && message.role() == Role.ASSISTANT)) {
				continue;
			}
			if (!turns.isEmpty() && turns.getLast().role() == message.role()) {
				turns.getLast().parts().addAll(parts);
			}
			else {
				turns.add(new Turn(message.role(), new ArrayList<>(parts)));
			}
		}
		if (turns.isEmpty()) {
			throw new IllegalArgumentException("the conversation has no user message to answer");
		}
		List<dev.langchain4j.data.message.ChatMessage> out = new ArrayList<>(system);
		int lastUser = -1;
		for (int i = 0; i < turns.size(); i++) {
			lastUser = turns.get(i).role() == Role.USER ? i : lastUser;
		}
		for (int i = 0; i < turns.size(); i++) {
			Turn turn = turns.get(i);
			switch (turn.role()) {
				case USER -> out.add(user(turn.parts(), cacheBreakpoint && i == lastUser));
				case ASSISTANT -> out.add(assistant(turn.parts()));
				case TOOL -> turn.parts()
					.stream()
					.filter(ContentPart.ToolResult.class::isInstance)
					.map(ContentPart.ToolResult.class::cast)
					// LangChain4j groups consecutive results into the one user turn
					// Anthropic wants, or Gemini's functionResponse parts
					.forEach(result -> out
						.add(ToolExecutionResultMessage.from(result.id(), result.name(), result.text())));
				case SYSTEM -> throw new IllegalStateException("system messages were taken out above");
			}
		}
		return out;
	}

	private static UserMessage user(List<ContentPart> parts, boolean cacheBreakpoint) {
		List<Content> contents = new ArrayList<>();
		for (ContentPart part : parts) {
			contents.add(switch (part) {
				case ContentPart.Text text -> TextContent.from(text.text());
				case ContentPart.Image image ->
					ImageContent.from(Base64.getEncoder().encodeToString(image.data()), image.mimeType());
				// tool parts never come from the user
				case ContentPart.ToolCall call -> TextContent.from(call.arguments());
				case ContentPart.ToolResult result -> TextContent.from(result.text());
			});
		}
		if (cacheBreakpoint) {
			return UserMessage.builder().contents(contents).attributes(Map.of(CACHE_CONTROL, "ephemeral")).build();
		}
		return UserMessage.from(contents);
	}

	private static AiMessage assistant(List<ContentPart> parts) {
		StringBuilder text = new StringBuilder();
		List<ToolExecutionRequest> calls = new ArrayList<>();
		for (ContentPart part : parts) {
			if (part instanceof ContentPart.Text(String value)) {
				if (!text.isEmpty()) {
					text.append("\n\n");
				}
				text.append(value);
			}
			else if (part instanceof ContentPart.ToolCall call) {
				calls.add(ToolExecutionRequest.builder()
					.id(call.id())
					.name(call.name())
					.arguments(call.arguments())
					.build());
			}
		}
		if (calls.isEmpty()) {
			return AiMessage.from(text.toString());
		}
		return text.isEmpty() ? AiMessage.from(calls) : AiMessage.from(text.toString(), calls);
	}

	private record Turn(Role role, List<ContentPart> parts) {
	}

}
