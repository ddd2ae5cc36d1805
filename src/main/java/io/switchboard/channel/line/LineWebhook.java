package io.switchboard.channel.line;

import java.util.ArrayList;
import java.util.List;

import com.linecorp.bot.webhook.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * What LINE's webhook does with one call on the server ({@link LineWebhookController}):
 * the call is read and checked first ({@link LineCalls}: signature, size, every event
 * readable; nothing is stored unless the whole body is signed and valid); each event is
 * then taken in by its {@code webhookEventId} ({@link LineEvents}: a redelivery is
 * recognised, also after a restart), a message stored with its answer pending, and the
 * call answered at once, so LINE never waits for a model. The serverless edition's
 * webhook function reads calls with the same {@link LineCalls} and keeps the events for
 * its worker, which takes them in through {@link LineEvents} as a
 * {@link io.switchboard.channel.ChannelBacklog}.
 */
@Component
@ConditionalOnLineChannel
public class LineWebhook {

	private static final Logger log = LoggerFactory.getLogger(LineWebhook.class);

	private final LineCalls calls;

	private final LineEvents events;

	LineWebhook(LineCalls calls, LineEvents events) {
		this.calls = calls;
		this.events = events;
	}

	/**
	 * The answer to a webhook call.
	 *
	 * @param status the HTTP status
	 * @param body a JSON body: {@code {}}, or a message saying what was wrong
	 */
	public record Answer(int status, String body) {
	}

	/** The largest body taken, in bytes. */
	public long maxBodySize() {
		return calls.maxBodySize();
	}

	/**
	 * Takes one call in.
	 * @param signature the {@code x-line-signature} header, or {@code null}
	 * @param body the body as sent (at most one byte more than {@link #maxBodySize()}
	 * need be read)
	 * @param from who called, for the log
	 */
	public Answer receive(String signature, byte[] body, String from) {
		return switch (calls.read(signature, body, from)) {
			case LineCalls.Refused refused -> refused.answer();
			case LineCalls.Signed signed -> {
				// every event read first: a body is taken in whole or not at all
				List<Event> read = new ArrayList<>();
				try {
					signed.events().forEach(event -> read.add(event.event()));
				}
				catch (IllegalArgumentException unreadable) {
					log.warn("refused a signed LINE webhook body: {}", unreadable.getMessage());
					yield LineCalls.refused(400, unreadable.getMessage()).answer();
				}
				for (int i = 0; i < read.size(); i++) {
					events.take(signed.events().get(i).id(), read.get(i));
				}
				yield new Answer(200, "{}");
			}
		};
	}

}
