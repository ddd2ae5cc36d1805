package io.switchboard.conversation;

import java.time.Duration;

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
 * first message starts a session; seed 001 started users {@code disabled})
 * @param attachNewSessions whether a session started by a message becomes the user's
 * current one, for new users
 * @param showPublicSessions whether new users see other people's public sessions in lists
 * @param titleLength the most characters of a first message used as a session's title
 * @param confirmationTimeout how long a destructive command waits for its confirmation
 */
@Validated
@ConfigurationProperties("switchboard.conversation")
public record ConversationProperties(@NotNull @DefaultValue("new") UserState initialState,
		@DefaultValue("true") boolean attachNewSessions, @DefaultValue("false") boolean showPublicSessions,
		@DefaultValue("40") @Min(10) @Max(200) int titleLength, @DefaultValue("5m") Duration confirmationTimeout) {
}
