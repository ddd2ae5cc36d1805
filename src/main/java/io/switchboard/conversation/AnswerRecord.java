package io.switchboard.conversation;

/**
 * What it took to produce an assistant message.
 *
 * @param model the configured model name
 * @param provider the provider that served it
 * @param tokensIn input tokens billed
 * @param tokensOut output tokens billed
 * @param costNanos cost in billionths of a US dollar
 * @param latencyMillis time from request to last piece
 * @param contextOmitted earlier messages of the topic left out of the context to fit the
 * window
 * @param finishReason why the model stopped ({@code stop}, {@code length}, ...)
 * @param tokensCached the part of {@code tokensIn} the provider read from its prompt
 * cache
 */
public record AnswerRecord(String model, String provider, int tokensIn, int tokensOut, long costNanos,
		long latencyMillis, int contextOmitted, String finishReason, int tokensCached) {

	/** An answer without cached input. */
	public AnswerRecord(String model, String provider, int tokensIn, int tokensOut, long costNanos, long latencyMillis,
			int contextOmitted, String finishReason) {
		this(model, provider, tokensIn, tokensOut, costNanos, latencyMillis, contextOmitted, finishReason, 0);
	}

}
