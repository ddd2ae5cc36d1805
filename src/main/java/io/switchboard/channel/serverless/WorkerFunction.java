package io.switchboard.channel.serverless;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.channel.ChannelBacklog;
import io.switchboard.channel.HandedOverTurns;
import io.switchboard.channel.HandedTurn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker function. Its queue brings two kinds of message: an event the webhook kept
 * ({@link QueuedEvent}), which it takes in through the server's intake (the channel's
 * {@link ChannelBacklog}: a key taken in before gets nothing new) and whose turn it then
 * runs in the same invocation; and a turn handed over ({@link HandedTurn}: by a recovery,
 * or one an invocation could not finish), which it runs. Turns run with the same turn
 * code and delivery path as the server.
 * <p>
 * SQS's receive count is the attempt, so a message that keeps failing is settled as
 * failed (the user is told) on its last receive
 * ({@code switchboard.channel.turn-attempts} + 1 = the queue's {@code maxReceiveCount})
 * before it goes to the dead-letter queue, and one that comes from there is settled at
 * once (one that fails even there is dropped, logged, rather than given out again for the
 * queue's whole retention). A message whose answer could not be sent yet is reported as a
 * batch item failure (partial batch response) and comes again; so is one whose turn
 * another invocation is still running (SQS delivers at least once): that invocation holds
 * the turn and renews its lease however long the model takes, so the model is asked once.
 */
final class WorkerFunction implements Function<SQSEvent, SQSBatchResponse> {

	private static final Logger log = LoggerFactory.getLogger(WorkerFunction.class);

	/** An attempt past every limit: the turn code settles the question as failed. */
	private static final int GIVE_UP = Integer.MAX_VALUE;

	private final HandedOverTurns turns;

	private final InvocationHandoff handoff;

	private final Map<String, ChannelBacklog> channels;

	private final ObjectMapper json;

	private final ServerlessProperties properties;

	WorkerFunction(HandedOverTurns turns, InvocationHandoff handoff, List<ChannelBacklog> channels, ObjectMapper json,
			ServerlessProperties properties) {
		this.turns = turns;
		this.handoff = handoff;
		this.channels = channels.stream().collect(Collectors.toMap(ChannelBacklog::platform, channel -> channel));
		this.json = json;
		this.properties = properties;
	}

	@Override
	public SQSBatchResponse apply(SQSEvent event) {
		List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
		for (SQSEvent.SQSMessage message : event.getRecords()) {
			int attempt = message.getEventSourceArn() != null
					&& message.getEventSourceArn().equals(properties.deadLetterQueueArn()) ? GIVE_UP : attempt(message);
			boolean done;
			try {
				JsonNode body = json.readTree(message.getBody());
				done = body.has(QueuedEvent.MARK) ? takeIn(json.treeToValue(body, QueuedEvent.class), attempt)
						: run(json.treeToValue(body, HandedTurn.class), attempt);
			}
			catch (com.fasterxml.jackson.core.JacksonException unreadable) {
				// not ours to run, and never will be: leave it to the dead-letter queue
				log.error("SQS message {} is neither an event nor a turn: {}", message.getMessageId(),
						unreadable.toString());
				done = false;
			}
			catch (RuntimeException failure) {
				log.error("SQS message {} failed; it comes again", message.getMessageId(), failure);
				done = false;
			}
			if (!done && attempt == GIVE_UP) {
				// from the dead-letter queue there is no further queue: coming again,
				// it would fail again every visibility timeout for the queue's whole
				// retention; the event stays kept in the table (K#platform#key)
				log.error("SQS message {} from the dead-letter queue failed as well; dropped", message.getMessageId());
				done = true;
			}
			if (!done) {
				failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
			}
		}
		return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
	}

	/**
	 * Takes a kept event in and runs the turn it begins, here. A redelivered message's
	 * intake begins nothing new, but hands over the turns whose holder let go (the first
	 * runs here, the others are queued).
	 */
	private boolean takeIn(QueuedEvent event, int attempt) {
		ChannelBacklog channel = channels.get(event.platform());
		if (channel == null) {
			throw new IllegalStateException(
					"no " + event.platform() + " channel in the worker for event " + event.key());
		}
		List<HandedTurn> begun = InvocationHandoff.begunBy(() -> channel.retake(event.key(), event.event()));
		// an event begins one turn; a repeated one may hand over several turns their
		// holders let go (anyone's): the first runs here, the others go on the queue,
		// where other invocations run them at the same time
		boolean done = true;
		for (int i = 0; i < begun.size(); i++) {
			done &= i == 0 ? runOrQueue(begun.get(i), attempt) : queue(begun.get(i));
		}
		// what the intake sent at once (a command's reply) goes out before the freeze
		turns.awaitSends(properties.sendWait());
		return done;
	}

	/**
	 * Runs a turn the intake began; one that cannot be finished here goes on the queue as
	 * a handed-over turn, whose retries the worker knows how to run (false when even that
	 * fails: the event's message comes again).
	 */
	private boolean runOrQueue(HandedTurn turn, int attempt) {
		try {
			if (turns.run(turn, attempt, properties.sendWait())) {
				return true;
			}
			log.info("turn {} is not delivered yet; it goes on the queue to be tried again", turn.turn());
		}
		catch (RuntimeException failure) {
			log.error("turn {} failed; it goes on the queue to be tried again", turn.turn(), failure);
		}
		return queue(turn);
	}

	/**
	 * Hands a turn to the queue; false when SQS refuses (the event's message comes
	 * again).
	 */
	private boolean queue(HandedTurn turn) {
		try {
			handoff.queue(turn);
			return true;
		}
		catch (RuntimeException failure) {
			log.error("turn {} could not be queued; its event comes again", turn.turn(), failure);
			return false;
		}
	}

	private boolean run(HandedTurn turn, int attempt) {
		if (!turns.run(turn, attempt, properties.sendWait())) {
			log.info("turn {} is not delivered yet (or still running in another invocation); its message comes again",
					turn.turn());
			return false;
		}
		return true;
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
