package io.switchboard.api;

import io.switchboard.conversation.User;

/**
 * Who a {@code /v1} request acts as: the API key (presented, or the one a trusted
 * network's calls without a key act as) and the user who owns it.
 *
 * @param arrivedAt {@link System#nanoTime()} when the request reached the gateway
 */
record ApiCaller(ApiKey key, User owner, long arrivedAt) {
}
