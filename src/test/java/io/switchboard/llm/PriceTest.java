package io.switchboard.llm;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PriceTest {

	@Test
	void cachedInputIsBilledAtTheCachedInputPrice() {
		Price price = new Price(new BigDecimal("3"), new BigDecimal("15"), new BigDecimal("0.30"));

		// 1,000 uncached at $3/M, 9,000 cached at $0.30/M, 100 out at $15/M
		assertThat(price.costNanos(new TokenUsage(10_000, 100, 9_000))).isEqualTo(3_000_000 + 2_700_000 + 1_500_000);
	}

	@Test
	void withoutACachedPriceCachedInputCostsWhatInputCosts() {
		Price price = new Price(new BigDecimal("2"), BigDecimal.ZERO);

		assertThat(price.cachedInputPerMillion()).isEqualByComparingTo("2");
		assertThat(price.costNanos(new TokenUsage(1_000, 0, 800))).isEqualTo(price.costNanos(new TokenUsage(1_000, 0)));
	}

	@Test
	void moreCachedThanInputTokensIsRefused() {
		assertThatThrownBy(() -> new TokenUsage(10, 1, 11)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("exceed");
	}

}
