package io.switchboard.llm;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Providers and models, bound from {@code switchboard.llm.*}. With no models configured
 * the built-in demo model is used, so the product can be tried without any key.
 *
 * @param providers named upstream services
 * @param models named models, each served by one provider
 * @param defaultModel the model new users and sessions get; defaults to the first model
 * @param retry how retriable failures are retried
 * @param demo the demo model's behaviour
 */
@Validated
@ConfigurationProperties("switchboard.llm")
public record LlmProperties(Map<String, @Valid Provider> providers, Map<String, @Valid Model> models,
		String defaultModel, @Valid @DefaultValue Retry retry, @Valid @DefaultValue Demo demo) {

	public LlmProperties {
		providers = providers == null ? Map.of() : new LinkedHashMap<>(providers);
		models = models == null ? Map.of() : new LinkedHashMap<>(models);
	}

	/** The wire protocol a provider speaks. */
	public enum ProviderType {

		/** OpenAI's chat completions API and every server compatible with it. */
		OPENAI,
		/** Anthropic's Messages API. */
		ANTHROPIC,
		/** Google's Gemini API. */
		GEMINI,
		/** The built-in deterministic demo model. */
		DEMO

	}

	/**
	 * An upstream service.
	 *
	 * @param type its wire protocol
	 * @param baseUrl where it answers, e.g. {@code https://api.openai.com/v1}; each type
	 * has a default
	 * @param apiKey the key sent with every request (never logged)
	 * @param apiKeyHeader the header the key goes in for OpenAI-compatible servers:
	 * {@code Authorization} (as a Bearer token, the default) or e.g. {@code api-key} for
	 * Azure
	 * @param connectTimeout how long to wait for a connection
	 * @param readTimeout how long to wait for the first byte and between streamed pieces
	 * @param headers extra headers sent with every request
	 * @param maxConcurrent how many chat turns may call it at once; further turns wait in
	 * a queue that is fair across users (each user's next turn in turn). Set it to what
	 * the upstream bears: a local model on one GPU takes one or two, a hosted API many
	 */
	public record Provider(@NotNull ProviderType type, URI baseUrl, String apiKey,
			@DefaultValue("Authorization") String apiKeyHeader, @DefaultValue("10s") Duration connectTimeout,
			@DefaultValue("120s") Duration readTimeout, Map<String, String> headers,
			@DefaultValue("64") @Min(1) @Max(100_000) int maxConcurrent) {

		public Provider {
			headers = headers == null ? Map.of() : Map.copyOf(headers);
		}

		@Override
		public String toString() {
			// keep the key out of logs and error pages
			return "Provider[type=" + type + ", baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "******")
					+ "]";
		}

	}

	/**
	 * A model.
	 *
	 * @param provider the name of the provider that serves it
	 * @param upstreamModel the id sent upstream; defaults to the model's own name
	 * @param contextWindow tokens the model reads at most
	 * @param maxOutputTokens the default and upper bound of an answer
	 * @param inputPrice US dollars per million input tokens
	 * @param outputPrice US dollars per million output tokens
	 * @param vision whether the model reads images
	 * @param imageDetail how closely the model looks at images ({@code low}, {@code high}
	 * or {@code auto}), sent to OpenAI-compatible servers as {@code image_url.detail}
	 * @param cachedInputPrice US dollars per million input tokens read from the
	 * provider's prompt cache; the input price when not set
	 * @param contextBudget the most input tokens one turn sends: a conversation longer
	 * than this is compacted (older turns summarised), so a long chat stays cheap and its
	 * prompt prefix stays cacheable; a budget above the window means the window
	 */
	public record Model(@NotBlank String provider, String upstreamModel,
			@DefaultValue("8192") @Min(256) int contextWindow, @DefaultValue("1024") @Positive int maxOutputTokens,
			@DefaultValue("0") @DecimalMin("0") BigDecimal inputPrice,
			@DefaultValue("0") @DecimalMin("0") BigDecimal outputPrice, @DefaultValue("false") boolean vision,
			@DefaultValue("auto") ImageDetail imageDetail, @DecimalMin("0") BigDecimal cachedInputPrice,
			@DefaultValue("16000") @Min(1024) int contextBudget) {

		@ConstructorBinding
		public Model {
			imageDetail = imageDetail == null ? ImageDetail.AUTO : imageDetail;
		}

		/** A model whose images go with the vendor's default detail, {@code auto}. */
		public Model(String provider, String upstreamModel, int contextWindow, int maxOutputTokens,
				BigDecimal inputPrice, BigDecimal outputPrice, boolean vision) {
			this(provider, upstreamModel, contextWindow, maxOutputTokens, inputPrice, outputPrice, vision,
					ImageDetail.AUTO, null, contextWindow);
		}

	}

	/**
	 * Retries of retriable failures (rate limits, server errors, timeouts) before the
	 * first piece of an answer arrived.
	 *
	 * @param maxAttempts attempts in all, the first included
	 * @param initialBackoff the wait before the second attempt; it doubles each time
	 */
	public record Retry(@DefaultValue("3") @Min(1) @Max(10) int maxAttempts,
			@DefaultValue("500ms") Duration initialBackoff) {
	}

	/**
	 * The demo model.
	 *
	 * @param chunkDelay the pause between streamed words, so streaming can be seen
	 */
	public record Demo(@DefaultValue("40ms") Duration chunkDelay) {
	}

}
