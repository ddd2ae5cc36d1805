package io.switchboard.conversation;

import java.time.Instant;

/**
 * A fact a user asked to be remembered.
 *
 * @param number its place in the user's list, from 1 (what {@code /forget n} names)
 */
public record Fact(long id, int number, String text, Instant createdAt) {
}
