package io.switchboard.llm;

/**
 * Tokens a model call consumed.
 *
 * @param inputTokens every input token, those read from the provider's prompt cache
 * included
 * @param outputTokens the answer's tokens
 * @param cachedInputTokens the part of {@code inputTokens} the provider read from its
 * prompt cache (OpenAI's {@code prompt_tokens_details.cached_tokens}, Anthropic's
 * {@code cache_read_input_tokens}, Gemini's {@code cachedContentTokenCount}), billed at
 * the model's cached-input price
 */
public record TokenUsage(int inputTokens, int outputTokens, int cachedInputTokens) {

	public static final TokenUsage NONE = new TokenUsage(0, 0);

	public TokenUsage {
		if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0) {
			throw new IllegalArgumentException("token counts must not be negative");
		}
		if (cachedInputTokens > inputTokens) {
			throw new IllegalArgumentException(
					"cached input tokens (" + cachedInputTokens + ") exceed input tokens (" + inputTokens + ")");
		}
	}

	/** Usage without any cached input. */
	public TokenUsage(int inputTokens, int outputTokens) {
		this(inputTokens, outputTokens, 0);
	}

	public int totalTokens() {
		return inputTokens + outputTokens;
	}

	/** Input tokens billed at the full input price. */
	public int uncachedInputTokens() {
		return inputTokens - cachedInputTokens;
	}

}
