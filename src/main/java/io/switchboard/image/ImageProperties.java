package io.switchboard.image;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Image generation, bound from {@code switchboard.image.*}. With no provider configured
 * the built-in demo provider draws locally, so the whole flow can be tried without any
 * backend.
 *
 * @param providers named image backends
 * @param defaultProvider the provider new prompts go to; defaults to the first one
 * @param timeout how long a provider may work on one job before it fails (each provider
 * may set its own)
 * @param perUserConcurrency jobs of one user that a provider works on at once; the rest
 * wait in the queue
 * @param maxAttempts attempts per job for retriable failures (a provider briefly down, a
 * lost task after a restart)
 * @param retryBackoff the wait after a retriable failure; doubles each time
 * @param queueRecheck how often a queued job looks for a free slot when nobody wakes it
 * (a finishing job wakes the next ones at once)
 * @param bannedWords words (case-insensitive) that make a prompt refused before any work
 * @param callbackBaseUrl how providers with callbacks (midjourney-proxy's notify hook)
 * reach this server; defaults to {@code switchboard.media.public-base-url}
 * @param demo the demo provider's behaviour
 */
@Validated
@ConfigurationProperties("switchboard.image")
public record ImageProperties(Map<String, @Valid Provider> providers, String defaultProvider,
		@DefaultValue("10m") Duration timeout, @DefaultValue("2") @Min(1) @Max(1000) int perUserConcurrency,
		@DefaultValue("3") @Min(1) @Max(20) int maxAttempts, @DefaultValue("2s") Duration retryBackoff,
		@DefaultValue("15s") Duration queueRecheck, List<String> bannedWords, URI callbackBaseUrl,
		@Valid @DefaultValue Demo demo) {

	public ImageProperties {
		providers = providers == null ? Map.of() : new LinkedHashMap<>(providers);
		bannedWords = bannedWords == null ? List.of() : List.copyOf(bannedWords);
	}

	/** The backends an image provider can be. */
	public enum ProviderType {

		/** OpenAI's Images API: gpt-image-1, dall-e-3, dall-e-2. */
		OPENAI,
		/** AUTOMATIC1111's Stable Diffusion WebUI started with {@code --api}. */
		SD_WEBUI,
		/** ComfyUI, driven by workflow templates. */
		COMFYUI,
		/** Midjourney through a midjourney-proxy server. */
		MIDJOURNEY_PROXY,
		/** Drawn locally, labelled as a demo. */
		DEMO

	}

	/**
	 * An image backend.
	 *
	 * @param type its protocol
	 * @param baseUrl where it answers (OpenAI: {@code https://api.openai.com/v1}; SD
	 * WebUI: {@code http://host:7860}; ComfyUI: {@code http://host:8188};
	 * midjourney-proxy: {@code http://host:8080/mj})
	 * @param apiKey OpenAI's key, or midjourney-proxy's {@code mj-api-secret}
	 * @param username HTTP Basic user (SD WebUI's {@code --api-auth})
	 * @param password HTTP Basic password
	 * @param model the model or checkpoint (OpenAI: {@code gpt-image-1},
	 * {@code dall-e-3}, {@code dall-e-2})
	 * @param maxConcurrent jobs this provider works on at once; more wait in the queue
	 * (default: 1 for SD WebUI and ComfyUI, which draw one at a time; 3 for Midjourney; 4
	 * otherwise)
	 * @param maxQueued jobs that may wait for this provider; one more is refused
	 * @param timeout overrides the global timeout for this provider
	 * @param pollInterval the first wait between two looks at a running job; it grows as
	 * the job runs, up to {@code maxPollInterval}
	 * @param maxPollInterval the longest wait between two looks
	 * @param connectTimeout how long to wait for a connection
	 * @param width default width of a candidate
	 * @param height default height of a candidate
	 * @param subtleStrength how much a subtle variation may change (SD/ComfyUI denoising)
	 * @param strongStrength how much a strong variation may change
	 * @param upscaleFactor how much an upscale enlarges
	 * @param upscaler SD WebUI's upscaler for upscales
	 * @param workflows ComfyUI: a folder with {@code origin.json}, {@code vary.json} and
	 * {@code upscale.json} workflow templates; the built-in ones otherwise
	 * @param useNotifyHook midjourney-proxy: ask it to call back on every change (polling
	 * remains as a fallback)
	 * @param websocketUrl ComfyUI: its websocket, for progress in percent; by default
	 * {@code /ws} at the base URL ({@code ws://} or {@code wss://})
	 */
	public record Provider(@NotNull ProviderType type, URI baseUrl, String apiKey, String username, String password,
			String model, @Min(1) @Max(10000) Integer maxConcurrent,
			@DefaultValue("100") @Min(0) @Max(100000) int maxQueued, Duration timeout,
			@DefaultValue("2s") Duration pollInterval, @DefaultValue("10s") Duration maxPollInterval,
			@DefaultValue("10s") Duration connectTimeout, @Min(64) @Max(4096) Integer width,
			@Min(64) @Max(4096) Integer height,
			@DefaultValue("0.35") @DecimalMin("0.01") @DecimalMax("1.0") double subtleStrength,
			@DefaultValue("0.75") @DecimalMin("0.01") @DecimalMax("1.0") double strongStrength,
			@DefaultValue("2") @Min(1) @Max(4) int upscaleFactor, @DefaultValue("R-ESRGAN 4x+") String upscaler,
			Path workflows, @DefaultValue("true") boolean useNotifyHook, URI websocketUrl) {

		@Override
		public String toString() {
			// keep secrets out of logs and error pages
			return "Provider[type=" + type + ", baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
					+ (apiKey == null ? "none" : "******") + ", username=" + username + ", password="
					+ (password == null ? "none" : "******") + ", maxConcurrent=" + maxConcurrent + ", maxQueued="
					+ maxQueued + "]";
		}

	}

	/**
	 * The demo provider.
	 *
	 * @param duration how long it pretends to work on a job, so progress can be seen
	 * @param maxConcurrent jobs it works on at once
	 */
	public record Demo(@DefaultValue("3s") Duration duration,
			@DefaultValue("4") @Min(1) @Max(10000) int maxConcurrent) {
	}

}
