package io.switchboard.assistant;

import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.User;

/**
 * Who a tool runs for and where the answer goes: an image a tool starts is delivered
 * there, as {@code /imagine}'s would be.
 *
 * @param requester the asker as their platform knows them, or {@code null} when unknown
 * @param place where the question was asked (the session's place when unknown)
 * @param question the stored question being answered (a search leaves it out of its
 * results: it would always find itself)
 */
public record ToolContext(User user, Session session, PlatformUserId requester, Place place, long question) {
}
