package io.switchboard.llm;

/** Why a model stopped writing. */
public enum FinishReason {

	/** The answer is complete. */
	STOP,
	/** The output token limit cut the answer short. */
	LENGTH,
	/** The provider's content filter stopped the answer. */
	CONTENT_FILTER,
	/** Anything else a provider reports (tool calls, unknown values). */
	OTHER

}
