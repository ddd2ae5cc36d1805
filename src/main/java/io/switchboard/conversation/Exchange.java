package io.switchboard.conversation;

/**
 * A user's question as stored and the assistant message that holds its answer (pending,
 * answered, failed or refused: see {@link StoredMessage#state()}), with their session.
 */
public record Exchange(Session session, StoredMessage question, StoredMessage answer) {

	/** The answer's id: what a turn and its delivery refer to. */
	public long answerId() {
		return answer.id();
	}

}
