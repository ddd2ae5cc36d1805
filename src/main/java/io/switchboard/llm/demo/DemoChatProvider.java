package io.switchboard.llm.demo;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.switchboard.llm.ChatMessage;
import io.switchboard.llm.ChatProvider;
import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.ContentPart;
import io.switchboard.llm.FinishReason;
import io.switchboard.llm.Role;
import io.switchboard.llm.TokenCounter;
import io.switchboard.llm.TokenUsage;

/**
 * The built-in demo model: answers deterministically without any network, so the whole
 * product can be tried without a key. Every answer says it comes from the demo model.
 */
public final class DemoChatProvider implements ChatProvider {

	/**
	 * Every demo answer starts with this label, so nobody mistakes it for a real model.
	 */
	public static final String LABEL = "[demo model]";

	private static final Pattern PIECES = Pattern.compile("\\S+\\s*|\\s+");

	private final String name;

	private final Duration chunkDelay;

	private final TokenCounter tokens;

	public DemoChatProvider(String name, Duration chunkDelay, TokenCounter tokens) {
		this.name = name;
		this.chunkDelay = chunkDelay;
		this.tokens = tokens;
	}

	@Override
	public String name() {
		return name;
	}

	@Override
	public ChatResponse chat(ChatRequest request) {
		return answer(request, text -> {
		}, Duration.ZERO);
	}

	@Override
	public ChatResponse stream(ChatRequest request, Consumer<String> onText) {
		return answer(request, onText, chunkDelay);
	}

	private ChatResponse answer(ChatRequest request, Consumer<String> onText, Duration delay) {
		String text = compose(request.messages());
		int maxChars = request.maxOutputTokens() * 4;
		FinishReason finish = FinishReason.STOP;
		if (text.length() > maxChars) {
			text = text.substring(0, maxChars);
			finish = FinishReason.LENGTH;
		}
		Matcher pieces = PIECES.matcher(text);
		while (pieces.find()) {
			if (!delay.isZero()) {
				sleep(delay);
			}
			onText.accept(pieces.group());
		}
		return new ChatResponse(text, new TokenUsage(tokens.count(request.messages()), tokens.count(text)), finish);
	}

	/**
	 * The answer: what the user sent, restated, so that every part of the flow can be
	 * checked.
	 */
	static String compose(List<ChatMessage> messages) {
		ChatMessage last = messages.getLast();
		StringBuilder answer = new StringBuilder(LABEL).append(' ');
		String question = last.text().strip();
		answer.append(question.isEmpty() ? "You sent no text." : "You said: \"" + question + "\".");
		for (ContentPart part : last.parts()) {
			if (part instanceof ContentPart.Image image) {
				answer.append(" I received an image (")
					.append(image.mimeType())
					.append(", ")
					.append(image.data().length)
					.append(" bytes) but, being a demo, cannot look at it.");
			}
		}
		long earlier = messages.stream().filter(m -> m.role() != Role.SYSTEM).count() - 1;
		if (earlier > 0) {
			answer.append(" I remember ")
				.append(earlier)
				.append(earlier == 1 ? " earlier message" : " earlier messages")
				.append(" of this topic.");
		}
		messages.stream()
			.filter(m -> m.role() == Role.SYSTEM)
			.findFirst()
			.ifPresent(system -> answer.append(" My instructions: \"").append(system.text().strip()).append("\"."));
		answer.append("\n\nThis is the built-in demo model: no AI provider is configured yet. ")
			.append("See the README's *Model providers* section to connect one.");
		return answer.toString();
	}

	private static void sleep(Duration delay) {
		try {
			Thread.sleep(delay);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("demo answer interrupted", interrupted);
		}
	}

}
