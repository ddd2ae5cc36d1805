package io.switchboard.conversation;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How new users start and how sessions are named, bound from
 * {@code switchboard.conversation.*}.
 *
 * @param initialState the state a user starts in on first contact ({@code new}: their
 * first message starts a session)
 * @param attachNewSessions whether a session started by a message becomes the user's
 * current one, for new users
 * @param showPublicSessions whether new users see other people's public sessions in lists
 * @param maxOutputTokens the longest answer new users get, or {@code null} for each
 * model's own
 * @param titleLength the most characters of a first message used as a session's title
 * @param confirmationTimeout how long a destructive command waits for its confirmation
 * @param platforms how new users start on one platform, where it differs from the above
 * (Discord's bot starts people disabled, see {@code application.yml})
 */
@Validated
@ConfigurationProperties("switchboard.conversation")
public record ConversationProperties(@NotNull @DefaultValue("new") UserState initialState,
		@DefaultValue("true") boolean attachNewSessions, @DefaultValue("false") boolean showPublicSessions,
		@Min(MIN_ANSWER_TOKENS) @Max(MAX_ANSWER_TOKENS) Integer maxOutputTokens,
		@DefaultValue("40") @Min(10) @Max(200) int titleLength, @DefaultValue("5m") Duration confirmationTimeout,
		Map<String, @Valid NewUsers> platforms) {

	/** The platforms people arrive from, and so the keys {@code platforms} may have. */
	public static final Set<String> PLATFORMS = Set.of("discord", "line", "slack", "web");

	static final int MIN_ANSWER_TOKENS = 16;

	static final int MAX_ANSWER_TOKENS = 200_000;

	public ConversationProperties {
		platforms = platforms == null ? Map.of() : Map.copyOf(platforms);
		for (String platform : platforms.keySet()) {
			if (!PLATFORMS.contains(platform)) {
				// a typo would otherwise be ignored, and the platform start with the
				// general defaults
				throw new IllegalArgumentException(
						"switchboard.conversation.platforms." + platform + ": no such platform; the platforms are "
								+ String.join(", ", PLATFORMS.stream().sorted().toList()));
			}
		}
	}

	/**
	 * How a person who first writes on {@code platform} starts: that platform's settings,
	 * and the general ones where it has none.
	 */
	public NewUsers newUsersOn(String platform) {
		NewUsers own = platforms.get(platform);
		if (own == null) {
			return new NewUsers(initialState, attachNewSessions, maxOutputTokens);
		}
		return new NewUsers(own.initialState() == null ? initialState : own.initialState(),
				own.attachNewSessions() == null ? attachNewSessions : own.attachNewSessions(),
				own.maxOutputTokens() == null ? maxOutputTokens : own.maxOutputTokens());
	}

	/**
	 * How new users start on one platform; a setting left out is the general one.
	 *
	 * @param initialState their state on first contact
	 * @param attachNewSessions their <i>attach</i> preference
	 * @param maxOutputTokens the longest answer they get until they change it, or
	 * {@code null} for each model's own
	 */
	public record NewUsers(UserState initialState, Boolean attachNewSessions,
			@Min(MIN_ANSWER_TOKENS) @Max(MAX_ANSWER_TOKENS) Integer maxOutputTokens) {
	}

}
