package io.switchboard.comic;

import io.switchboard.conversation.UserId;
import io.switchboard.image.ImageOrigin;
import io.switchboard.media.MediaRef;

/**
 * Published when a comic made by {@code /comic} has its strip. A channel keeps the ones
 * whose {@code origin().place().platform()} is its own and sends the strip there
 * ({@code MediaLinks.publicUrl(strip.sha256())} for platforms that fetch images by URL).
 *
 * @param strip the composed PNG in the media store
 * @param origin the chat where {@code /comic} was sent
 */
public record ComicFinished(ComicId comic, UserId owner, String title, MediaRef strip, ImageOrigin origin) {
}
