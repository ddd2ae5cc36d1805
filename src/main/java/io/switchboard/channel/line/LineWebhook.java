package io.switchboard.channel.line;

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
				for (LineCalls.SignedEvent event : signed.events()) {
					events.take(event.id(), event.event());
				}
				yield new Answer(200, "{}");
			}
		};
	}

}
