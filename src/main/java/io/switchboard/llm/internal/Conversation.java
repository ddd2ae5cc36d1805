package io.switchboard.llm.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
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
				.filter(part -> message.role() == Role.USER || part instanceof ContentPart.Text)
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
			out.add(turn.role() == Role.USER ? user(turn.parts(), cacheBreakpoint && i == lastUser)
					: assistant(turn.parts()));
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
			});
		}
		if (cacheBreakpoint) {
			return UserMessage.builder().contents(contents).attributes(Map.of(CACHE_CONTROL, "ephemeral")).build();
		}
		return UserMessage.from(contents);
	}

	private static AiMessage assistant(List<ContentPart> parts) {
		StringBuilder text = new StringBuilder();
		for (ContentPart part : parts) {
			if (part instanceof ContentPart.Text(String value)) {
				if (!text.isEmpty()) {
					text.append("\n\n");
				}
				text.append(value);
			}
		}
		return AiMessage.from(text.toString());
	}

	private record Turn(Role role, List<ContentPart> parts) {
	}

}
