package io.switchboard.llm;

import java.util.List;

/**
 * A model's complete answer.
 *
 * @param text the answer text
 * @param usage tokens counted by the provider (estimated where the provider reports none)
 * @param finishReason why the model stopped
 * @param toolCalls the tools the model asks for, in order (then the finish reason is
 * {@link FinishReason#TOOL_CALLS})
 */
public record ChatResponse(String text, TokenUsage usage, FinishReason finishReason,
		List<ContentPart.ToolCall> toolCalls) {

	public ChatResponse {
		text = text == null ? "" : text;
		usage = usage == null ? TokenUsage.NONE : usage;
		toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
		finishReason = !toolCalls.isEmpty() ? FinishReason.TOOL_CALLS
				: finishReason == null ? FinishReason.STOP : finishReason;
	}

	public ChatResponse(String text, TokenUsage usage, FinishReason finishReason) {
		this(text, usage, finishReason, List.of());
	}

	public boolean wantsTools() {
		return !toolCalls.isEmpty();
	}

}
