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

	/**
	 * Input tokens the vendor reported in all (its prompt cache's included) and the part
	 * read from the cache; {@code null} counts are estimated by the caller. Vendors whose
	 * input count leaves cached tokens out (Anthropic) add them here.
	 */
	default ReportedInput input(dev.langchain4j.model.output.TokenUsage usage) {
		return new ReportedInput(usage == null ? null : usage.inputTokenCount(), 0);
	}

	/**
	 * Whether requests mark their prompt's stable prefix for the vendor's prompt cache
	 * (Anthropic's {@code cache_control} breakpoints); vendors that cache prefixes by
	 * themselves need no marks.
	 */
	default boolean marksCacheBreakpoints() {
		return false;
	}

	/**
	 * Input tokens as a vendor reported them.
	 *
	 * @param total every input token, or {@code null} when the vendor reported none
	 * @param cached the part read from the vendor's prompt cache
	 */
	record ReportedInput(Integer total, int cached) {
	}

}
