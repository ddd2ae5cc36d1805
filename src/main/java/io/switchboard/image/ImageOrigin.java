package io.switchboard.image;

import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;

/**
 * Where a job was asked for, so the channel that asked can deliver its updates there (a
 * LINE chat, a Discord channel, a Slack thread, the web studio).
 */
public record ImageOrigin(PlatformUserId requester, Place place) {
}
