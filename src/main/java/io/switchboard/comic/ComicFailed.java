package io.switchboard.comic;

import io.switchboard.conversation.UserId;
import io.switchboard.image.ImageOrigin;

/**
 * Published when a comic made by {@code /comic} could not be finished; channels tell the
 * chat it came from.
 *
 * @param reason why, written for the user
 */
public record ComicFailed(ComicId comic, UserId owner, String reason, ImageOrigin origin) {
}
