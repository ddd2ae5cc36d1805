package io.switchboard.llm;

/** Tokens a model call consumed. */
public record TokenUsage(int inputTokens, int outputTokens) {

	public static final TokenUsage NONE = new TokenUsage(0, 0);

	public TokenUsage {
		if (inputTokens < 0 || outputTokens < 0) {
			throw new IllegalArgumentException("token counts must not be negative");
		}
	}

	public int totalTokens() {
		return inputTokens + outputTokens;
	}

}
