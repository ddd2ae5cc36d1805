package io.switchboard.conversation;

/** A question and its answer as recorded, with the session they went to. */
public record Exchange(Session session, StoredMessage question, StoredMessage answer) {
}
