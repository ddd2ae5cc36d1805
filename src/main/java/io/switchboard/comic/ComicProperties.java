package io.switchboard.comic;

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
 * The comic studio, bound from {@code switchboard.comic.*}.
 *
 * @param storyModel the chat model that writes stories when a comic names none;
 * {@code null}: the server's default model
 * @param promptModel the chat model that writes image prompts; {@code null}: the story's
 * model
 * @param defaultLayout how strips are composed unless the user picks otherwise
 * @param fonts font files (TTF, OTF or TTC collections) for the strip's text, tried in
 * order for each character; files that do not exist are skipped. The defaults are where
 * Linux distributions put Noto Sans CJK (Debian's {@code fonts-noto-cjk}), which covers
 * Korean, Japanese and Chinese
 * @param systemFonts also try Java's logical {@code SansSerif} font after the files (on a
 * desktop it reaches the operating system's fonts)
 * @param requireCjkFonts stop start-up when no font covers Korean, Japanese and Chinese
 * (instead of a warning)
 * @param panelSize the width of a panel in the strip, in pixels
 * @param maxOutputTokens the longest answer asked of the model for a story or prompts
 * @param temperature sampling temperature for stories; {@code null}: the model's default
 * @param negativePrompt the negative prompt a panel gets when the model writes none
 * @param image the image knobs new comics start with
 * @param runPollInterval how often a comic making itself looks at its panels' jobs
 * @param presets genre and style pairs the idea step offers
 */
@Validated
@ConfigurationProperties("switchboard.comic")
public record ComicProperties(String storyModel, String promptModel,
		@DefaultValue("vertical") @NotNull Layout defaultLayout, List<Path> fonts,
		@DefaultValue("true") boolean systemFonts, @DefaultValue("false") boolean requireCjkFonts,
		@DefaultValue("512") @Min(128) @Max(2048) int panelSize,
		@DefaultValue("2000") @Min(256) @Max(32000) int maxOutputTokens,
		@DecimalMin("0.0") @DecimalMax("2.0") Double temperature, String negativePrompt,
		@Valid @DefaultValue Image image, @DefaultValue("2s") Duration runPollInterval,
		Map<String, @Valid Preset> presets) {

	/** Where Linux distributions put Noto Sans CJK. */
	static final List<Path> DEFAULT_FONTS = List.of(Path.of("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
			Path.of("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
			Path.of("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
			Path.of("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"));

	public ComicProperties {
		fonts = fonts == null || fonts.isEmpty() ? DEFAULT_FONTS : List.copyOf(fonts);
		presets = presets == null ? Map.of() : new LinkedHashMap<>(presets);
		image = image == null ? new Image(null, null, null, null, null) : image;
		negativePrompt = negativePrompt == null || negativePrompt.isBlank() ? null : negativePrompt.strip();
	}

	/**
	 * The image knobs new comics start with; {@code null}: the provider's default.
	 *
	 * @param provider the image provider; {@code null}: the server's default
	 */
	public record Image(String provider, Long seed, @Min(1) @Max(150) Integer steps,
			@DecimalMin("0.0") @DecimalMax("30.0") Double cfgScale, String sampler) {

		PanelSettings settings() {
			return new PanelSettings(provider, seed, steps, cfgScale, sampler);
		}

	}

	/** A genre and style the idea step offers under a name. */
	public record Preset(@NotNull String genre, @NotNull String style) {
	}

}
