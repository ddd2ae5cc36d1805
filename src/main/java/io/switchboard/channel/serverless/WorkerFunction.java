package io.switchboard.channel.serverless;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.channel.HandedOverTurns;
import io.switchboard.channel.HandedTurn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker function: runs the turns the webhook handed to SQS, with the same turn code
 * and delivery path as the server. SQS's receive count is the turn's attempt, so a
 * message that keeps failing is settled as failed (the user is told) on its last receive
 * ({@code switchboard.channel.turn-attempts} + 1 = the queue's {@code maxReceiveCount})
 * before it goes to the dead-letter queue. A message whose answer could not be sent yet
 * is reported as a batch item failure (partial batch response) and comes again; so is one
 * whose turn another invocation is still running (SQS delivers at least once): that
 * invocation holds the turn and renews its lease however long the model takes, so the
 * model is asked once.
 */
final class WorkerFunction implements Function<SQSEvent, SQSBatchResponse> {

	private static final Logger log = LoggerFactory.getLogger(WorkerFunction.class);

	/** An attempt past every limit: the turn code settles the question as failed. */
	private static final int GIVE_UP = Integer.MAX_VALUE;

	private final HandedOverTurns turns;

	private final ObjectMapper json;

	private final ServerlessProperties properties;

	WorkerFunction(HandedOverTurns turns, ObjectMapper json, ServerlessProperties properties) {
		this.turns = turns;
		this.json = json;
		this.properties = properties;
	}

	@Override
	public SQSBatchResponse apply(SQSEvent event) {
		List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
		for (SQSEvent.SQSMessage message : event.getRecords()) {
			HandedTurn turn;
			try {
				turn = json.readValue(message.getBody(), HandedTurn.class);
			}
			catch (Exception unreadable) {
				// not ours to run, and never will be: leave it to the dead-letter queue
				log.error("SQS message {} is not a turn: {}", message.getMessageId(), unreadable.toString());
				failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
				continue;
			}
			try {
				int attempt = message.getEventSourceArn() != null
						&& message.getEventSourceArn().equals(properties.deadLetterQueueArn()) ? GIVE_UP
								: attempt(message);
				if (!turns.run(turn, attempt, properties.sendWait())) {
					log.info(
							"turn {} is not delivered yet (or still running in another invocation); its message comes again",
							turn.turn());
					failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
				}
			}
			catch (RuntimeException failure) {
				log.error("turn {} failed; its message comes again", turn.turn(), failure);
				failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
			}
		}
		return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
	}

	private static int attempt(SQSEvent.SQSMessage message) {
		String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
		try {
			return count == null ? 1 : Integer.parseInt(count);
		}
		catch (NumberFormatException unreadable) {
			return 1;
		}
	}

}
