package io.switchboard.channel.slack;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Slack channel, bound from {@code switchboard.slack.*}. The channel is off until a
 * bot token is set.
 *
 * @param botToken the bot user OAuth token ({@code xoxb-...}); setting it turns the
 * channel on
 * @param mode how Slack reaches this server: the HTTP Events API or Socket Mode
 * @param signingSecret the app's signing secret, which proves a request came from Slack
 * (required for the Events API)
 * @param appToken the app-level token ({@code xapp-...}, scope {@code connections:write};
 * required for Socket Mode)
 * @param path where the Events API, slash commands and interactivity requests arrive
 * @param apiUrl the Web API's base URL (tests point it at a fake)
 * @param respond which messages in channels are answered unless a channel says otherwise
 * @param channels per-channel settings, by channel id (e.g. {@code C0123ABCD})
 * @param updateInterval the pace at which a streamed answer's message is updated
 * @param slashCommand the slash command that runs Switchboard's commands
 * @param imagineCommand the slash command that starts an image job
 */
@Validated
@ConfigurationProperties("switchboard.slack")
public record SlackProperties(@Pattern(regexp = "xoxb-.+", message = "must be a bot token (xoxb-...)") String botToken,
		@NotNull @DefaultValue("events-api") Mode mode, String signingSecret,
		@Pattern(regexp = "xapp-.+", message = "must be an app-level token (xapp-...)") String appToken,
		@NotNull @Pattern(regexp = "/[A-Za-z0-9/_-]*",
				message = "must be a path starting with /") @DefaultValue("/slack/events") String path,
		@NotNull @DefaultValue("https://slack.com/api/") URI apiUrl, @NotNull @DefaultValue("all") Respond respond,
		Map<String, @Valid Channel> channels, @NotNull @DefaultValue("1s") Duration updateInterval,
		@NotNull @Pattern(regexp = "/[a-z0-9_-]+",
				message = "must be a slash command such as /switchboard") @DefaultValue("/switchboard") String slashCommand,
		@NotNull @Pattern(regexp = "/[a-z0-9_-]+",
				message = "must be a slash command such as /imagine") @DefaultValue("/imagine") String imagineCommand) {

	/**
	 * Slack's floor for updating one message over and over without being rate limited.
	 */
	static final Duration MIN_UPDATE_INTERVAL = Duration.ofMillis(300);

	public SlackProperties {
		channels = channels == null ? Map.of() : new LinkedHashMap<>(channels);
		if (enabled(botToken)) {
			if (mode == Mode.EVENTS_API && (signingSecret == null || signingSecret.isBlank())) {
				throw new IllegalArgumentException(
						"switchboard.slack.signing-secret is required when switchboard.slack.mode is events-api");
			}
			if (mode == Mode.SOCKET_MODE && (appToken == null || appToken.isBlank())) {
				throw new IllegalArgumentException(
						"switchboard.slack.app-token is required when switchboard.slack.mode is socket-mode");
			}
		}
		if (updateInterval != null && updateInterval.compareTo(MIN_UPDATE_INTERVAL) < 0) {
			throw new IllegalArgumentException("switchboard.slack.update-interval must be at least "
					+ MIN_UPDATE_INTERVAL.toMillis() + "ms, was " + updateInterval.toMillis() + "ms");
		}
		if (apiUrl != null && !apiUrl.toString().endsWith("/")) {
			apiUrl = URI.create(apiUrl + "/");
		}
	}

	private static boolean enabled(String botToken) {
		return botToken != null && !botToken.isBlank();
	}

	/** Which messages of a channel are answered. */
	Respond respondIn(String channelId) {
		Channel channel = channels.get(channelId);
		return channel == null || channel.respond() == null ? respond : channel.respond();
	}

	/** How Slack delivers events. */
	public enum Mode {

		/** Slack POSTs to {@link SlackProperties#path()} on a public HTTPS URL. */
		EVENTS_API,
		/** This server opens a WebSocket to Slack: no public URL needed. */
		SOCKET_MODE

	}

	/** Which messages in a channel are answered. */
	public enum Respond {

		/** Every question posted in the channel. */
		ALL,
		/** Only messages that mention the bot, and replies in threads it answers. */
		MENTIONS,
		/** None: the bot stays silent in the channel. */
		OFF

	}

	/** One channel's settings. */
	public record Channel(Respond respond) {
	}

	@Override
	public String toString() {
		return "SlackProperties[botToken=" + mask(botToken) + ", mode=" + mode + ", signingSecret="
				+ mask(signingSecret) + ", appToken=" + mask(appToken) + ", path=" + path + ", apiUrl=" + apiUrl
				+ ", respond=" + respond + ", channels=" + channels + ", updateInterval=" + updateInterval
				+ ", slashCommand=" + slashCommand + ", imagineCommand=" + imagineCommand + "]";
	}

	private static String mask(String secret) {
		return secret == null || secret.isBlank() ? "none" : "******";
	}

}
