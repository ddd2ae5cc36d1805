package io.switchboard.conversation;

/** An admin suspended a user, or lifted the suspension. */
public record UserSuspensionChanged(UserId user, boolean suspended) {
}
