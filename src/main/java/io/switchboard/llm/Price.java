package io.switchboard.llm;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What a model costs, in US dollars per million tokens in and out, and per million input
 * tokens the provider read from its prompt cache. Costs are kept as whole billionths of a
 * dollar ("nanos") so that sums stay exact in every database.
 *
 * @param cachedInputPerMillion the price of cached input tokens; the input price when not
 * given (a provider without a cache discount)
 */
public record Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion) {

	public static final Price FREE = new Price(BigDecimal.ZERO, BigDecimal.ZERO);

	private static final BigDecimal NANOS_PER_DOLLAR_PER_MILLION_TOKENS = BigDecimal.valueOf(1_000L);

	public Price {
		inputPerMillion = inputPerMillion == null ? BigDecimal.ZERO : inputPerMillion;
		outputPerMillion = outputPerMillion == null ? BigDecimal.ZERO : outputPerMillion;
		cachedInputPerMillion = cachedInputPerMillion == null ? inputPerMillion : cachedInputPerMillion;
		if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0 || cachedInputPerMillion.signum() < 0) {
			throw new IllegalArgumentException("prices must not be negative");
		}
	}

	/** A price without a cache discount. */
	public Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
		this(inputPerMillion, outputPerMillion, null);
	}

	/**
	 * The cost of a call in billionths of a dollar, rounded half up: uncached input at
	 * the input price, cached input at the cached-input price, output at the output
	 * price.
	 */
	public long costNanos(TokenUsage usage) {
		// $/1M tokens * tokens = dollars * 1e6 / 1e6; in nanos: price * tokens * 1e9 /
		// 1e6
		BigDecimal in = inputPerMillion.multiply(BigDecimal.valueOf(usage.uncachedInputTokens()));
		BigDecimal cached = cachedInputPerMillion.multiply(BigDecimal.valueOf(usage.cachedInputTokens()));
		BigDecimal out = outputPerMillion.multiply(BigDecimal.valueOf(usage.outputTokens()));
		return in.add(cached)
			.add(out)
			.multiply(NANOS_PER_DOLLAR_PER_MILLION_TOKENS)
			.setScale(0, RoundingMode.HALF_UP)
			.longValueExact();
	}

}
