package io.switchboard.llm.internal;

import java.util.Optional;

import io.switchboard.llm.FinishReason;
import io.switchboard.llm.LlmException;

/**
 * What differs between vendors reached through LangChain4j: how their error answers read,
 * and how their stop reasons map. {@link LangChain4jChat} does everything else.
 */
public interface Vendor {

	/**
	 * The failure an error answer stands for.
	 * @param status the HTTP status
	 * @param body the answer's body, usually the vendor's error JSON (may be empty)
	 * @param retryAfterSeconds what a {@code Retry-After} header asked for, or 0
	 */
	LlmException httpError(int status, String body, long retryAfterSeconds);

	/**
	 * The failure a vendor-specific exception stands for (e.g. an error event inside a
	 * stream), or empty to let the generic mapping decide.
	 */
	default Optional<LlmException> otherError(Throwable failure) {
		return Optional.empty();
	}

	/**
	 * Why the model stopped, given LangChain4j's reading and the complete answer. Vendors
	 * override this where LangChain4j loses a reason (e.g. Anthropic's {@code refusal}).
	 */
	default FinishReason finishReason(dev.langchain4j.model.chat.response.ChatResponse answer) {
		return LangChain4jChat.finishReason(answer.finishReason());
	}

}
