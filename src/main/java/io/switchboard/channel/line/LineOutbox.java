package io.switchboard.channel.line;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.linecorp.bot.messaging.client.MessagingApiClient;
import com.linecorp.bot.messaging.client.MessagingApiClientException;
import com.linecorp.bot.messaging.model.Message;
import com.linecorp.bot.messaging.model.PushMessageRequest;
import com.linecorp.bot.messaging.model.ReplyMessageRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends what we answer to an event: the first call by the event's reply token while it is
 * still valid, everything else (and everything after the token expired or was refused) by
 * push. The calls are written down before they are sent, so a handler that runs again
 * after a failure sends what is left instead of asking the model again; and each push
 * carries a retry key derived from the event and the call's number, so LINE drops a push
 * it has already taken (it answers 409), and a retried handler never pushes twice.
 */
@Component
@ConditionalOnLineChannel
class LineOutbox {

	/** LINE takes at most five messages in one reply or push. */
	static final int MESSAGES_PER_CALL = 5;

	private static final Logger log = LoggerFactory.getLogger(LineOutbox.class);

	private static final TypeReference<List<Message>> MESSAGES = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final MessagingApiClient api;

	private final Clock clock;

	LineOutbox(JdbcClient jdbc, TransactionTemplate transactions, MessagingApiClient api, Clock clock) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.api = api;
		this.clock = clock;
	}

	/**
	 * Where an answer goes.
	 *
	 * @param chatId the user, group or room to push to
	 * @param replyToken the event's reply token, or {@code null}
	 * @param replyUntil until when the token is used, or {@code null}
	 */
	record Target(String chatId, String replyToken, Instant replyUntil) {

		static Target push(String chatId) {
			return new Target(chatId, null, null);
		}

	}

	/** Whether an answer to this key has been written down already. */
	boolean written(String key) {
		return jdbc.sql("SELECT COUNT(*) FROM line_outbox WHERE event_id = ?")
			.param(key)
			.query(Integer.class)
			.single() > 0;
	}

	/**
	 * Writes an answer down (once: a second answer to the same key is ignored) and sends
	 * what of it is unsent.
	 */
	void send(String key, Target target, List<Message> messages) {
		if (!messages.isEmpty()) {
			write(key, target, messages);
		}
		deliver(key);
	}

	private void write(String key, Target target, List<Message> messages) {
		transactions.executeWithoutResult(status -> {
			long now = clock.millis();
			int seq = 0;
			for (int from = 0; from < messages.size(); from += MESSAGES_PER_CALL) {
				List<Message> call = messages.subList(from, Math.min(messages.size(), from + MESSAGES_PER_CALL));
				jdbc.sql("""
						INSERT INTO line_outbox (event_id, seq, chat_id, reply_token, reply_until, messages, created_at)
						VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id, seq) DO NOTHING""")
					.params(key, seq++, target.chatId(), target.replyToken(),
							target.replyUntil() == null ? null : target.replyUntil().toEpochMilli(), json(call), now)
					.update();
			}
		});
	}

	/** Sends the unsent calls of an answer, in order. */
	void deliver(String key) {
		List<Row> unsent = jdbc.sql("""
				SELECT seq, chat_id, reply_token, reply_until, messages FROM line_outbox
				WHERE event_id = ? AND sent_at IS NULL ORDER BY seq""").param(key).query((row, i) -> {
			long replyUntil = row.getLong(4);
			return new Row(row.getInt(1), row.getString(2), row.getString(3), row.wasNull() ? null : replyUntil,
					row.getString(5));
		}).list();
		for (Row row : unsent) {
			List<Message> messages = read(row.messages());
			String how = row.seq() == 0 && replyable(row) && reply(row.replyToken(), messages) ? "reply"
					: push(key, row, messages);
			jdbc.sql("UPDATE line_outbox SET sent_at = ?, sent_by = ? WHERE event_id = ? AND seq = ?")
				.params(clock.millis(), how, key, row.seq())
				.update();
		}
	}

	private boolean replyable(Row row) {
		return row.replyToken() != null && row.replyUntil() != null && clock.millis() < row.replyUntil();
	}

	/** True when the reply went out; false when LINE refused the token (then we push). */
	private boolean reply(String token, List<Message> messages) {
		try {
			call(api.replyMessage(new ReplyMessageRequest(token, messages, false)));
			return true;
		}
		catch (MessagingApiClientException refused) {
			if (refused.getCode() == 400 && String.valueOf(refused.getError()).toLowerCase().contains("reply token")) {
				log.info("LINE refused a reply token ({}); pushing instead", refused.getError());
				return false;
			}
			throw failure("reply", refused);
		}
	}

	private String push(String key, Row row, List<Message> messages) {
		try {
			call(api.pushMessage(retryKey(key, row.seq()),
					new PushMessageRequest(row.chatId(), messages, false, null)));
			return "push";
		}
		catch (MessagingApiClientException refused) {
			if (refused.getCode() == 409) {
				// the retry key was accepted before: this push was already delivered
				return "push";
			}
			if (refused.getCode() >= 400 && refused.getCode() < 500 && refused.getCode() != 429) {
				// the same request would be refused again: give up on it, keep the rest
				log.error("LINE refused a push to {} for {}: {} {}", row.chatId(), key, refused.getError(),
						refused.getDetails());
				return "refused";
			}
			throw failure("push", refused);
		}
	}

	/** The same key and call always make the same UUID, so a second push is dropped. */
	static UUID retryKey(String key, int seq) {
		return UUID.nameUUIDFromBytes(("line:" + key + ":" + seq).getBytes(StandardCharsets.UTF_8));
	}

	private static <T> T call(CompletableFuture<T> future) throws MessagingApiClientException {
		try {
			return future.get();
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new LineUnavailable("interrupted while calling LINE", interrupted);
		}
		catch (ExecutionException failed) {
			if (failed.getCause() instanceof MessagingApiClientException refused) {
				throw refused;
			}
			throw new LineUnavailable("calling LINE failed: " + failed.getCause(), failed.getCause());
		}
	}

	private static LineUnavailable failure(String what, MessagingApiClientException refused) {
		return new LineUnavailable("LINE answered " + refused.getCode() + " to a " + what + ": " + refused.getError(),
				refused);
	}

	private static String json(List<Message> messages) {
		try {
			return LineConfiguration.LINE_JSON.writerFor(MESSAGES).writeValueAsString(messages);
		}
		catch (JsonProcessingException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	private static List<Message> read(String json) {
		try {
			return LineConfiguration.LINE_JSON.readValue(json, MESSAGES);
		}
		catch (JsonProcessingException corrupt) {
			throw new IllegalStateException("an unreadable LINE outbox row", corrupt);
		}
	}

	private record Row(int seq, String chatId, String replyToken, Long replyUntil, String messages) {
	}

	/**
	 * LINE could not be reached or failed for now (5xx, 429, a timeout): thrown so that
	 * the inbox tries the event again later.
	 */
	static final class LineUnavailable extends RuntimeException {

		LineUnavailable(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
