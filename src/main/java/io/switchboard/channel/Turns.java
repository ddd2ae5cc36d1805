package io.switchboard.channel;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.Reply;
import io.switchboard.conversation.AnswerState;
import io.switchboard.conversation.Conversations;
import io.switchboard.llm.ModelCatalog;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * Runs chat turns: each answers one stored question, on a virtual thread of its own, when
 * the {@link TurnQueue} lets it (one at a time per user and place, at most
 * {@code max-concurrent} per provider). The turn's row is there for recovery only: this
 * node renews its leases every {@code recovery-interval}; a turn whose lease ran out (its
 * node died) is taken over by another node, or by the next process, and finished there:
 * answered, or its question marked failed with a plain message after
 * {@code turn-attempts} runs. Settling the question (before), making its delivery due and
 * deleting the row happen in one unit of writes, and a settled question is never asked
 * again, so a turn run twice answers once. An answer that stopped before a tool to ask
 * its user gets the question with its buttons as a notice right behind it, in the same
 * unit.
 */
@Service
class Turns implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(Turns.class);

	private static final int RECOVERY_BATCH = 100;

	static final String GAVE_UP = "The server stopped several times while answering this, so it was not answered. "
			+ "Please ask again.";

	static final String BROKE = "Something went wrong on the server while answering. Please ask again.";

	private final TurnStore store;

	private final Deliveries deliveries;

	private final Renderers renderers;

	private final Assistant assistant;

	private final Conversations conversations;

	private final ObjectMapper json;

	private final PipelineTransactions transactions;

	private final ChannelProperties properties;

	private final ChannelNode node;

	private final Clock clock;

	private final boolean onlyNode;

	private final TurnQueue queue;

	/** Where begun turns go instead of this node's queue; null: they run here. */
	private final TurnHandoff handoff;

	/**
	 * The turns this node has queued or is running: never taken over by its own sweep.
	 */
	private final Set<Long> held = ConcurrentHashMap.newKeySet();

	private volatile ScheduledExecutorService keeper;

	private volatile boolean accepting = true;

	Turns(TurnStore store, Deliveries deliveries, Renderers renderers, Assistant assistant, Conversations conversations,
			ModelCatalog models, ObjectMapper json, PipelineTransactions transactions, ChannelProperties properties,
			ChannelNode node, Clock clock, MeterRegistry meters, ObjectProvider<TurnHandoff> handoff) {
		this.handoff = handoff.getIfAvailable();
		this.store = store;
		this.deliveries = deliveries;
		this.renderers = renderers;
		this.assistant = assistant;
		this.conversations = conversations;
		this.json = json;
		this.transactions = transactions;
		this.properties = properties;
		this.node = node;
		this.clock = clock;
		// with a hand-over, other processes (the functions) share the store even on
		// SQLite
		this.onlyNode = this.handoff == null && store.singleNode();
		this.queue = new TurnQueue(provider -> Optional.ofNullable(models.providers().get(provider))
			.map(settings -> settings.maxConcurrent())
			.orElse(64), this::start);
		Gauge.builder("switchboard.turns.held", held, Set::size)
			.description("chat turns this node has queued or is running")
			.register(meters);
	}

	/**
	 * Records a turn for a question just stored, held by this node; call it in the
	 * intake's transaction, and {@link #begin} after it commits.
	 */
	TurnStore.Row record(long answerId, long deliveryId, String platform, String lane, long userId, String provider) {
		long now = clock.millis();
		return store.insert(answerId, deliveryId, platform, lane, userId, provider, node.name(),
				now + properties.turnLease().toMillis(), now);
	}

	/**
	 * Queues a turn this node holds: it runs as soon as its lane and provider let it.
	 * With a {@link TurnHandoff} it is handed over instead, to run in another process.
	 */
	void begin(TurnStore.Row turn) {
		if (handoff != null) {
			try {
				handoff.handOver(HandedTurn.of(turn, node.name()));
			}
			catch (RuntimeException failure) {
				// the question is stored: let go of the turn at once, so that the next
				// recovery (the platform's redelivery of the event, see
				// resumeHandOvers) hands it over instead of waiting out its lease
				try {
					store.letGoOne(turn.id());
				}
				catch (RuntimeException alsoFailing) {
					log.warn("could not let go of turn {} after its failed hand-over: {}", turn.id(),
							alsoFailing.toString());
				}
				throw new TurnHandoff.Failed(turn.id(), failure);
			}
			return;
		}
		if (!held.add(turn.id())) {
			return;
		}
		queue.submit(new TurnQueue.Ticket(turn.id(), turn.lane(), turn.userId(), turn.provider(), new Running(turn,
				liveView(turn), java.util.Collections.synchronizedList(new java.util.ArrayList<>()))));
	}

	private void start(TurnQueue.Ticket ticket) {
		Thread.ofVirtual().name("turn-" + ticket.turn()).start(() -> {
			try {
				Running running = (Running) ticket.live();
				run(running.turn(), running);
			}
			finally {
				held.remove(ticket.turn());
				queue.finished(ticket);
			}
		});
	}

	/**
	 * Runs a turn handed over by another process here, on the calling thread, and
	 * finishes it (its delivery due, its row gone). It first takes the turn's hold from
	 * {@code from}, the node that handed it over: from then on this node's recovery
	 * renews it like any it holds, however long the model takes, so no other process
	 * takes the turn over while it runs here. Nothing runs when the turn is over or runs
	 * elsewhere (held by a node that renews it: the same hand-over delivered twice); the
	 * caller reads from its delivery whether to come again.
	 * @return whether the turn ran and finished here (its delivery released, and sent if
	 * this node reaches the platform); false when it did not run here or could not be
	 * finished
	 */
	boolean runHere(TurnStore.Row turn, String from) {
		if (!held.add(turn.id())) {
			return false; // running on another thread of this process
		}
		try {
			long now = clock.millis();
			if (!store.claim(turn.id(), from, node.name(), now + properties.turnLease().toMillis(), now)) {
				return false;
			}
			return run(turn, new Running(turn, liveView(turn),
					java.util.Collections.synchronizedList(new java.util.ArrayList<>())));
		}
		finally {
			held.remove(turn.id());
		}
	}

	/** Runs a turn and finishes it; false when it was not finished. */
	private boolean run(TurnStore.Row turn, Running live) {
		if (!accepting) {
			return false; // stopping: the next process (or another node) finishes it
		}
		try {
			if (turn.attempts() > properties.turnAttempts()) {
				log.warn("giving up turn {} (answer {}) after {} runs", turn.id(), turn.answerId(),
						turn.attempts() - 1);
				conversations.settle(turn.answerId(), AnswerState.FAILED, GAVE_UP);
			}
			else {
				assistant.answer(turn.answerId(), turn.platform(), live);
			}
		}
		catch (RuntimeException failure) {
			if (!accepting) {
				return false;
			}
			log.error("turn {} (answer {}) failed", turn.id(), turn.answerId(), failure);
			try {
				conversations.settle(turn.answerId(), AnswerState.FAILED, BROKE);
			}
			catch (RuntimeException stillFailing) {
				// the database itself fails: the lease runs out and the turn is taken up
				// again
				log.error("could not mark turn {} failed: {}", turn.id(), stillFailing.toString());
				return false;
			}
		}
		return finish(turn, List.copyOf(live.notices()));
	}

	/**
	 * The question is settled: its delivery becomes due and the turn row goes; the
	 * notices the turn gave besides its answer follow it, where the platform's live view
	 * did not show them.
	 */
	private boolean finish(TurnStore.Row turn, List<Reply> notices) {
		Object address = notices.isEmpty() ? null : followupAddress(turn);
		try {
			// an answer that stopped to ask before a tool runs: the buttons follow it
			Optional<io.switchboard.assistant.Reply> question = assistant.confirmationAsked(turn.answerId());
			transactions.inOne(() -> {
				deliveries.release(turn.deliveryId(), turn.platform());
				if (address != null) {
					deliveries.add(turn.platform(), new Delivery.Notices("turn:" + turn.answerId(), notices), address,
							false);
				}
				question.ifPresent(reply -> deliveries.addAfter(turn.deliveryId(),
						new Delivery.Notices("tool-question:" + turn.answerId(), List.of(reply))));
				store.delete(turn.id());
				return null;
			});
			return true;
		}
		catch (RuntimeException failure) {
			// the turn is taken up again when its lease runs out; its settled question is
			// not asked again
			log.warn("could not finish turn {}: {}", turn.id(), failure.toString());
			return false;
		}
	}

	private LiveAnswer liveView(TurnStore.Row turn) {
		ChannelRenderer<Object, Object> renderer = renderers.find(turn.platform()).orElse(null);
		if (renderer == null || !renderer.ready()) {
			return LiveAnswer.QUIET;
		}
		try {
			Optional<DeliveryStore.Row> delivery = deliveries.find(turn.deliveryId());
			if (delivery.isEmpty()) {
				return LiveAnswer.QUIET;
			}
			Object address = json.readValue(delivery.get().address(), renderer.addressType());
			Object refs = delivery.get().refs() == null ? null
					: json.readValue(delivery.get().refs(), renderer.refsType());
			return guarded(renderer.live(address, refs, saved -> deliveries.saveRefs(turn.deliveryId(), saved)));
		}
		catch (JsonProcessingException | RuntimeException failure) {
			log.warn("no live view for turn {}: {}", turn.id(), failure.toString());
			return LiveAnswer.QUIET;
		}
	}

	/** A live view whose failures never fail the turn: it is a courtesy. */
	private static LiveAnswer guarded(LiveAnswer live) {
		return new LiveAnswer() {
			@Override
			public void queued(int ahead) {
				try {
					live.queued(ahead);
				}
				catch (RuntimeException failure) {
					log.debug("a live view could not show the queue: {}", failure.toString());
				}
			}

			@Override
			public void accept(io.switchboard.assistant.ReplyEvent event) {
				try {
					live.accept(event);
				}
				catch (RuntimeException failure) {
					log.debug("a live view could not show {}: {}", event.getClass().getSimpleName(),
							failure.toString());
				}
			}
		};
	}

	/** Where a turn's answer goes, for the notices that follow it; null for none. */
	private Object followupAddress(TurnStore.Row turn) {
		ChannelRenderer<Object, Object> renderer = renderers.find(turn.platform()).orElse(null);
		if (renderer == null || renderer.showsTurnNotices()) {
			return null;
		}
		try {
			Optional<DeliveryStore.Row> delivery = deliveries.find(turn.deliveryId());
			return delivery.isEmpty() ? null : json.readValue(delivery.get().address(), renderer.addressType());
		}
		catch (JsonProcessingException | RuntimeException failure) {
			log.warn("the notices of turn {} cannot follow its answer: {}", turn.id(), failure.toString());
			return null;
		}
	}

	/**
	 * A queued turn, its live view, and the notices it gave besides its answer: what the
	 * queue hands back to start it.
	 */
	private record Running(TurnStore.Row turn, LiveAnswer view, List<Reply> notices) implements LiveAnswer {

		@Override
		public void queued(int ahead) {
			view.queued(ahead);
		}

		@Override
		public void accept(io.switchboard.assistant.ReplyEvent event) {
			if (event instanceof io.switchboard.assistant.ReplyEvent.Notice notice) {
				notices.add(notice.reply());
			}
			view.accept(event);
		}

	}

	// -------------------------------------------------------------- recovery

	/**
	 * Renews this node's leases and takes over the turns of nodes that died. The first
	 * run on the only node of an SQLite database takes every turn at once: they were the
	 * previous process's.
	 */
	void keep(boolean firstRun) {
		try {
			long now = clock.millis();
			long leaseUntil = now + properties.turnLease().toMillis();
			store.renew(node.name(), leaseUntil);
			takeOverOrphans(now, leaseUntil, firstRun && onlyNode);
		}
		catch (RuntimeException failure) {
			log.warn("could not look after the chat turns: {}", failure.toString());
		}
	}

	private void takeOverOrphans(long now, long leaseUntil, boolean all) {
		for (TurnStore.Row orphan : store.orphaned(now, all, RECOVERY_BATCH)) {
			if (held.contains(orphan.id()) || !store.takeOver(orphan.id(), node.name(), leaseUntil, now, all)) {
				continue;
			}
			log.info("taking over turn {} (answer {}) on {}", orphan.id(), orphan.answerId(), orphan.platform());
			begin(new TurnStore.Row(orphan.id(), orphan.answerId(), orphan.deliveryId(), orphan.platform(),
					orphan.lane(), orphan.userId(), orphan.provider(), orphan.attempts() + 1));
		}
	}

	/**
	 * With a {@link TurnHandoff}: hands over, now, the turns nobody holds (a hand-over
	 * that failed let go of its turn), rather than when some process's recovery next runs
	 * (a function's runs only while it is called). For an event that came again: a
	 * platform redelivers what was answered with an error, which a failed hand-over
	 * answers. Without a hand-over it does nothing (the node's own recovery looks after
	 * its turns).
	 * @throws TurnHandoff.Failed when a hand-over fails again
	 */
	void resumeHandOvers() {
		if (handoff == null) {
			return;
		}
		long now = clock.millis();
		takeOverOrphans(now, now + properties.turnLease().toMillis(), false);
	}

	/** Turns this node has queued or is running. */
	int held() {
		return held.size();
	}

	/** Turns waiting for a provider on this node. */
	int waiting(String provider) {
		return queue.waiting(provider);
	}

	// -------------------------------------------------------------- lifecycle

	@Override
	public void start() {
		accepting = true;
		ScheduledExecutorService scheduled = Executors
			.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("turn-keeper").factory());
		long every = properties.recoveryInterval().toMillis();
		scheduled.execute(() -> keep(true));
		scheduled.scheduleWithFixedDelay(() -> keep(false), every, every, TimeUnit.MILLISECONDS);
		keeper = scheduled;
	}

	/**
	 * Stops at once: turns under way are not waited for but let go, so another node (or
	 * the next process) finishes them; a settled question is never asked twice.
	 */
	@Override
	public void stop() {
		accepting = false;
		ScheduledExecutorService current = keeper;
		keeper = null;
		if (current != null) {
			current.shutdownNow();
		}
		try {
			int let = store.letGo(node.name());
			if (let > 0) {
				log.info("left {} chat turns under way to be finished by another node or the next start", let);
			}
		}
		catch (RuntimeException failure) {
			log.warn("could not let go of the chat turns under way: {}", failure.toString());
		}
	}

	@Override
	public boolean isRunning() {
		return keeper != null;
	}

	/**
	 * Stops after the web server's graceful shutdown (which gives answers streaming to
	 * open requests their grace period) and before the deliveries stop, so a turn that
	 * finishes in time is still delivered.
	 */
	@Override
	public int getPhase() {
		return ChannelPhases.TURNS;
	}

}
