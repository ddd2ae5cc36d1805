package io.switchboard.channel.web;

/**
 * Where a web answer goes: the page's open event stream for one message (on the node that
 * took the message). A page that has gone (or reloads) reads the answer from the
 * session's history instead.
 *
 * @param stream the id of the message's event stream
 */
record WebAddress(long user, String stream) {
}
