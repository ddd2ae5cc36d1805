package io.switchboard.llm;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What a model costs, in US dollars per million tokens in and out. Costs are kept as
 * whole billionths of a dollar ("nanos") so that sums stay exact in every database.
 */
public record Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {

	public static final Price FREE = new Price(BigDecimal.ZERO, BigDecimal.ZERO);

	private static final BigDecimal NANOS_PER_DOLLAR_PER_MILLION_TOKENS = BigDecimal.valueOf(1_000L);

	public Price {
		inputPerMillion = inputPerMillion == null ? BigDecimal.ZERO : inputPerMillion;
		outputPerMillion = outputPerMillion == null ? BigDecimal.ZERO : outputPerMillion;
		if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0) {
			throw new IllegalArgumentException("prices must not be negative");
		}
	}

	/** The cost of a call in billionths of a dollar, rounded half up. */
	public long costNanos(TokenUsage usage) {
		// $/1M tokens * tokens = dollars * 1e6 / 1e6; in nanos: price * tokens * 1e9 /
		// 1e6
		BigDecimal in = inputPerMillion.multiply(BigDecimal.valueOf(usage.inputTokens()));
		BigDecimal out = outputPerMillion.multiply(BigDecimal.valueOf(usage.outputTokens()));
		return in.add(out)
			.multiply(NANOS_PER_DOLLAR_PER_MILLION_TOKENS)
			.setScale(0, RoundingMode.HALF_UP)
			.longValueExact();
	}

}
