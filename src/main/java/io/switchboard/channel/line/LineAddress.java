package io.switchboard.channel.line;

import java.time.Instant;

/**
 * Where a LINE delivery goes.
 *
 * @param chat the user, group or room pushed to
 * @param user the LINE user it answers, for their quick replies (their mode);
 * {@code null} when unknown
 * @param replyToken the event's reply token, used for the first call while fresh, or
 * {@code null}
 * @param replyUntil until when the token is used (epoch milliseconds), or {@code null}
 */
record LineAddress(String chat, String user, String replyToken, Long replyUntil) {

	static LineAddress push(String chat, String user) {
		return new LineAddress(chat, user, null, null);
	}

	/** Whether this goes to a one-to-one chat (where LINE shows a loading animation). */
	boolean direct() {
		return chat.equals(user);
	}

	boolean replyable(Instant now) {
		return replyToken != null && replyUntil != null && now.toEpochMilli() < replyUntil;
	}

}
