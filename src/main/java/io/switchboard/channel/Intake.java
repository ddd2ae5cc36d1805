package io.switchboard.channel;

import java.time.Clock;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Received;
import io.switchboard.assistant.Reply;
import io.switchboard.conversation.AnswerState;
import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.system.WritePriority;
import io.switchboard.voice.Heard;
import io.switchboard.voice.Voice;

import org.springframework.stereotype.Service;

/**
 * Where every channel's events come in, the same for all: in one unit of writes
 * ({@link PipelineTransactions}) the event's key is recorded (a key seen before gets
 * nothing new, also after a restart), a command is carried out, a chat message is stored
 * in its conversation with its answer pending, and what will answer the event is written
 * as a delivery. After the unit a chat turn is queued for the model and the replies are
 * sent, each on a virtual thread: the caller (a webhook, a gateway listener) returns at
 * once. Nothing here waits for a model.
 */
@Service
public class Intake {

	private static final Logger log = LoggerFactory.getLogger(Intake.class);

	private final InboundEvents events;

	private final Assistant assistant;

	private final Deliveries deliveries;

	private final Turns turns;

	private final Renderers renderers;

	private final PipelineTransactions transactions;

	private final Clock clock;

	private final Voice voice;

	Intake(InboundEvents events, Assistant assistant, Deliveries deliveries, Turns turns, Renderers renderers,
			PipelineTransactions transactions, Clock clock, Voice voice) {
		this.voice = voice;
		this.events = events;
		this.assistant = assistant;
		this.deliveries = deliveries;
		this.turns = turns;
		this.renderers = renderers;
		this.transactions = transactions;
		this.clock = clock;
	}

	/**
	 * Takes one event in, once.
	 * @throws IllegalStateException when the platform has no renderer on this server
	 * @throws TurnHandoff.Failed when the message is stored but its turn could not be
	 * handed over (the caller answers with an error, so that the platform delivers the
	 * event again)
	 */
	public Taken take(Inbound inbound) {
		if (!(inbound.body() instanceof Inbound.Body.Quiet)) {
			renderers.require(inbound.platform());
		}
		// the platform waits for this write to answer 200: it goes before background
		// writes
		Work work = WritePriority.urgent(() -> transactions.inOne(() -> {
			if (!events.record(inbound.platform(), inbound.key(), clock.millis())) {
				return null;
			}
			if (inbound.onAccepted() != null) {
				inbound.onAccepted().run();
			}
			return switch (inbound.body()) {
				case Inbound.Body.Message message -> message(inbound, message.message(), message.heard());
				case Inbound.Body.Replies replies -> new Work(null, notices(inbound, replies.replies()), null);
				case Inbound.Body.Quiet quiet -> new Work(null, null, null);
			};
		}));
		if (work == null) {
			log.debug("{} event {} was taken in before; nothing new", inbound.platform(), inbound.key());
			turns.resumeHandOvers();
			return new Taken.Duplicate();
		}
		if (work.turn() != null) {
			turns.begin(work.turn());
		}
		return new Taken.Accepted(work.received(), work.delivery());
	}

	/**
	 * Whether an event's key has been taken in. A platform delivers an event again when
	 * its call was answered with an error, such as a failed hand-over of its turn
	 * ({@link TurnHandoff.Failed}): an event seen again first hands over the turns whose
	 * hand-over failed, so its question is answered without being stored twice.
	 * @throws TurnHandoff.Failed when such a hand-over fails again
	 */
	public boolean seen(String platform, String key) {
		if (!events.seen(platform, key)) {
			return false;
		}
		turns.resumeHandOvers();
		return true;
	}

	private Work message(Inbound inbound, InboundMessage message, Heard.Words heard) {
		Received received = assistant.receive(message);
		List<Reply> shown = List.of();
		if (heard != null) {
			voice.recordUsage(received.user().id().value(), heard);
			shown = List.of(Reply.of(HEARD + heard.text()));
		}
		return switch (received) {
			case Received.Replied replied -> {
				List<Reply> replies = new java.util.ArrayList<>(shown);
				replies.addAll(replied.replies());
				yield new Work(received, notices(inbound, replies), null);
			}
			case Received.Asked asked -> {
				// what was heard goes first, in the answer's lane
				if (!shown.isEmpty()) {
					deliveries.add(inbound.platform(), new Delivery.Notices(inbound.key(), shown, true),
							inbound.address(), false);
				}
				Exchange exchange = asked.exchange();
				boolean pending = exchange.answer().state() == AnswerState.PENDING;
				long delivery = deliveries.add(inbound.platform(), new Delivery.Answer(exchange.answerId()),
						inbound.address(), pending);
				TurnStore.Row turn = pending ? turns.record(exchange.answerId(), delivery, inbound.platform(),
						lane(inbound.platform(), asked, message), asked.user().id().value(), asked.model().provider())
						: null;
				yield new Work(received, delivery, turn);
			}
		};
	}

	/** How a voice message's words are shown to its sender before the answer. */
	static final String HEARD = "\uD83C\uDFA4 what I heard: ";

	private Long notices(Inbound inbound, List<Reply> replies) {
		if (replies.isEmpty()) {
			return null;
		}
		return deliveries.add(inbound.platform(), new Delivery.Notices(inbound.key(), replies), inbound.address(),
				false);
	}

	/**
	 * One user's turns in one place run in order: on the web page a place is a session,
	 * on a platform a chat or thread.
	 */
	private static String lane(String platform, Received.Asked asked, InboundMessage message) {
		String place = message.place().kind() == PlaceKind.WEB ? "session:" + asked.exchange().session().id().value()
				: message.place().kind() + ":" + message.place().space() + ":" + message.place().thread();
		return platform + ":" + asked.user().id().value() + ":" + place;
	}

	private record Work(Received received, Long delivery, TurnStore.Row turn) {
	}

}
