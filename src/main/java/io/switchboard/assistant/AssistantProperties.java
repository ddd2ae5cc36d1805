package io.switchboard.assistant;

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
 */
@Validated
@ConfigurationProperties("switchboard.assistant")
public record AssistantProperties(@DefaultValue("32000") @Min(1) @Max(1_000_000) int maxMessageChars,
		@DefaultValue("0.05") @DecimalMin("0") @DecimalMax("0.5") double contextSafetyMargin,
		@DefaultValue("32") @Min(1) @Max(1000) int contextPageSize) {
}
