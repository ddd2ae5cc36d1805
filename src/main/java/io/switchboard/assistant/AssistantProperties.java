package io.switchboard.assistant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How messages are checked and contexts assembled, bound from
 * {@code switchboard.assistant.*}.
 *
 * @param maxMessageChars the longest message accepted, in characters
 * @param contextSafetyMargin the share of a model's window kept free, because other
 * vendors' tokenizers count a little differently from ours
 * @param contextPageSize how many stored messages context assembly reads at a time
 * @param compaction how long conversations are summarised to stay within a model's
 * context budget
 */
@Validated
@ConfigurationProperties("switchboard.assistant")
public record AssistantProperties(@DefaultValue("32000") @Min(1) @Max(1_000_000) int maxMessageChars,
		@DefaultValue("0.05") @DecimalMin("0") @DecimalMax("0.5") double contextSafetyMargin,
		@DefaultValue("32") @Min(1) @Max(1000) int contextPageSize, @Valid @DefaultValue Compaction compaction) {

	/**
	 * Compaction: when a topic's context passes its model's {@code context-budget}, its
	 * older part is folded into a running summary by a (cheap) model, and turns send the
	 * system prompt, the summary and the latest messages word for word.
	 *
	 * @param enabled whether topics are compacted; off, a turn sends the newest messages
	 * that fit the budget and leaves the rest out
	 * @param model the model that writes summaries; the session's own model when empty
	 * @param recentMessages the fewest latest messages sent word for word (as many as fit
	 * when fewer do)
	 * @param keepShare the share of the budget the word-for-word part may fill right
	 * after a compaction; the rest is room to grow, turn after turn, with the prompt's
	 * start unchanged (so providers' prompt caches hit) until the next compaction
	 * @param summaryMaxTokens the longest summary
	 * @param maxChunks the most summary calls one compaction makes (each folds what fits
	 * the summary model's budget); a longer backlog's oldest part is left out
	 */
	public record Compaction(@DefaultValue("true") boolean enabled, String model,
			@DefaultValue("20") @Min(2) @Max(1000) int recentMessages,
			@DefaultValue("0.5") @DecimalMin("0.1") @DecimalMax("0.9") double keepShare,
			@DefaultValue("1000") @Min(100) @Max(32_000) int summaryMaxTokens,
			@DefaultValue("4") @Min(1) @Max(100) int maxChunks) {
	}

}
