package io.switchboard.llm;

/**
 * A model's complete answer.
 *
 * @param text the answer text
 * @param usage tokens counted by the provider (estimated where the provider reports none)
 * @param finishReason why the model stopped
 */
public record ChatResponse(String text, TokenUsage usage, FinishReason finishReason) {

	public ChatResponse {
		text = text == null ? "" : text;
		usage = usage == null ? TokenUsage.NONE : usage;
		finishReason = finishReason == null ? FinishReason.STOP : finishReason;
	}

}
