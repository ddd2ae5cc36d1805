package io.switchboard.conversation;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much a user's memory ({@code /remember}) holds, bound from
 * {@code switchboard.memory.*}. Every fact goes into the system prompt of every one of
 * the user's turns, so the list is kept short.
 *
 * @param maxFacts the most facts a user may keep
 * @param maxFactChars the longest fact, in characters
 * @param suggest whether compaction proposes facts to remember, which the user confirms
 * (off unless set: the summary model then also reads for facts about the user)
 * @param suggestionTimeout how long a proposed fact waits for its confirmation
 */
@Validated
@ConfigurationProperties("switchboard.memory")
public record MemoryProperties(@DefaultValue("20") @Min(1) @Max(200) int maxFacts,
		@DefaultValue("300") @Min(10) @Max(4000) int maxFactChars, @DefaultValue("false") boolean suggest,
		@DefaultValue("7d") java.time.Duration suggestionTimeout) {

}
