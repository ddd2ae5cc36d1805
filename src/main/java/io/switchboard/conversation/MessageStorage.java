package io.switchboard.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The storage port for messages; adapters as for {@link UserStorage}. Every read is
 * bounded by a limit and served by a key in order, so a turn's context costs the same in
 * a session of ten messages as in one of a hundred thousand.
 */
interface MessageStorage {

	/**
	 * Takes {@code count} consecutive order numbers in a topic and returns the first.
	 * Concurrent writers never get the same numbers for good, though the SQL adapter may
	 * hand out numbers a concurrent writer also got: its unique index refuses the second
	 * insert ({@code DuplicateKeyException}) and the write is tried again.
	 */
	int reserveSeqs(SessionId session, int topic, int count);

	/**
	 * Inserts a message and returns its id.
	 * @param state for an assistant message, how its question stands; {@code null} for a
	 * user message
	 * @param note why the question was not answered, or {@code null}
	 * @param replyTo for an assistant message, the question's id
	 * @throws org.springframework.dao.DuplicateKeyException when the place is taken
	 */
	long insert(SessionId session, int topic, int seq, MessageRole role, UserId author, String content, int tokenCount,
			AnswerRecord answer, Instant now, AnswerState state, String note, Long replyTo);

	Optional<StoredMessage> find(long id);

	/**
	 * Stores a question and the assistant message behind it in the next two places of a
	 * topic and returns the three as stored. The session is touched first: in PostgreSQL
	 * that locks its row for the rest of the transaction, so concurrent writers take
	 * their order numbers one after another. By default {@link SessionStorage#touch},
	 * {@link #reserveSeqs}, two {@link #insert}s and {@link #exchange}; a store that can
	 * touch and reserve in one write and keep what it wrote does.
	 * @param question the question's content, written by the parts codec
	 * @param answer the answer's content so far
	 * @throws org.springframework.dao.DuplicateKeyException when a concurrent writer took
	 * the places first (the caller tries again)
	 */
	default Exchange insertExchange(SessionStorage sessions, SessionId session, int topic, UserId author,
			String question, int questionTokens, String answer, int answerTokens, AnswerRecord record,
			AnswerState state, String note, Instant now) {
		sessions.touch(session, now);
		int seq = reserveSeqs(session, topic, 2);
		long questionId = insert(session, topic, seq, MessageRole.USER, author, question, questionTokens, null, now,
				null, null, null);
		long answerId = insert(session, topic, seq + 1, MessageRole.ASSISTANT, null, answer, answerTokens, record, now,
				state, note, questionId);
		return exchange(answerId, sessions).orElseThrow();
	}

	/**
	 * An answer with its question and their session; empty when one of them is gone or
	 * the message answers nothing. By default three reads one after another; a store that
	 * can read them together does (DynamoDB: they share the session's partition).
	 */
	default Optional<Exchange> exchange(long answerId, SessionStorage sessions) {
		return find(answerId).filter(answer -> answer.replyTo() != null)
			.flatMap(answer -> find(answer.replyTo()).flatMap(question -> sessions.find(answer.session())
				.map(session -> new Exchange(session, question, answer))));
	}

	/**
	 * Writes a pending answer's text; false when it is not pending any more.
	 */
	boolean answer(long id, String content, int tokenCount, AnswerRecord answer);

	/**
	 * Writes a pending answer's text and returns the message as it now stands; empty, and
	 * nothing written, when it is not pending any more. By default {@link #answer} and a
	 * read; a store whose write can return what it wrote does.
	 */
	default Optional<StoredMessage> answered(long id, String content, int tokenCount, AnswerRecord answer) {
		return answer(id, content, tokenCount, answer) ? find(id) : Optional.empty();
	}

	/**
	 * Settles a pending answer without a model's text; false when it is not pending any
	 * more.
	 */
	boolean settle(long id, AnswerState state, String note);

	/**
	 * Up to {@code limit} messages of a topic older than {@code beforeSeq}, newest first.
	 */
	List<StoredMessage> newestFirst(SessionId session, int topic, int beforeSeq, int limit);

	/**
	 * Up to {@code limit} messages of a session after topic {@code afterTopic}, message
	 * {@code afterSeq}, in topic and message order (to read a whole session page by
	 * page).
	 */
	List<StoredMessage> oldestFirst(SessionId session, int afterTopic, int afterSeq, int limit);

	/** The last {@code limit} messages of a session across topics, oldest first. */
	List<StoredMessage> recent(SessionId session, int limit);

	/**
	 * Up to {@code limit} messages of a session (across topics) just before the place
	 * {@code (topic, seq)}, oldest first.
	 */
	List<StoredMessage> before(SessionId session, int topic, int seq, int limit);

	/**
	 * Up to {@code limit} messages of a session (across topics) from the place
	 * {@code (topic, seq)} on, oldest first.
	 */
	List<StoredMessage> from(SessionId session, int topic, int seq, int limit);

	long count(SessionId session);

}
