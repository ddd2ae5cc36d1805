package io.switchboard.llm;

/** Why a model stopped writing. */
public enum FinishReason {

	/** The answer is complete. */
	STOP,
	/** The output token limit cut the answer short. */
	LENGTH,
	/** The provider's content filter stopped the answer. */
	CONTENT_FILTER,
	/** The model asks for tools to be run and waits for their results. */
	TOOL_CALLS,
	/** Anything else a provider reports (unknown values). */
	OTHER

}
