package io.switchboard.channel;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.comic.ComicId;
import io.switchboard.conversation.AnswerState;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Exchange;
import io.switchboard.conversation.UserId;
import io.switchboard.image.ImageJobId;
import io.switchboard.image.ImageJobs;
import io.switchboard.llm.ModelCatalog;
import io.switchboard.llm.ModelSpec;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one way out to every platform. A delivery is written first (in the transaction that
 * decided it: the event's intake, the answer's turn, an image job's change), then sent at
 * once on a virtual thread once that transaction commits, one delivery of a lane after
 * another. Whatever is not sent at once (the node stopped, the platform failed for now,
 * the only node that can reach Discord is another one) is found by a sweep every
 * {@code delivery-sweep-interval} on every node, claimed by one sender, and tried again
 * with a growing pause. A send that the platform took is marked in the same row, and the
 * renderers make a repeated send harmless, so what reaches the user, reaches them once.
 */
@Service
class Deliveries implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

	/**
	 * How long one send may hold its delivery before another sender may try (a delivery
	 * made to be sent at once is held by its maker from the start: should that node stop
	 * before sending it, another sends it after this).
	 */
	private static final Duration CLAIM = Duration.ofMinutes(2);

	private static final int SWEEP_BATCH = 200;

	private static final Duration FIRST_RETRY = Duration.ofSeconds(2);

	private static final Duration LONGEST_RETRY = Duration.ofMinutes(5);

	private final DeliveryStore store;

	private final Renderers renderers;

	private final Conversations conversations;

	private final ImageJobs jobs;

	private final ModelCatalog models;

	private final ObjectMapper json;

	private final ChannelProperties properties;

	private final ChannelNode node;

	private final Clock clock;

	private final MeterRegistry meters;

	private final java.util.Map<String, io.micrometer.core.instrument.Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();

	/** Where retries wait their pause (the send itself goes to its lane). */
	private final ExecutorService senders = Executors
		.newThreadPerTaskExecutor(Thread.ofVirtual().name("delivery-retry-", 0).factory());

	/** Sends on this node, one delivery of a lane after another. */
	private final Lanes lanes = new Lanes("delivery-");

	private volatile ScheduledExecutorService sweeper;

	private final io.switchboard.voice.Speech speech;

	Deliveries(DeliveryStore store, Renderers renderers, Conversations conversations, ImageJobs jobs,
			ModelCatalog models, ObjectMapper json, ChannelProperties properties, ChannelNode node, Clock clock,
			MeterRegistry meters, io.switchboard.voice.Speech speech) {
		this.speech = speech;
		this.store = store;
		this.renderers = renderers;
		this.conversations = conversations;
		this.jobs = jobs;
		this.models = models;
		this.json = json;
		this.properties = properties;
		this.node = node;
		this.clock = clock;
		this.meters = meters;
	}

	// ---------------------------------------------------------------- writing

	/**
	 * Writes a delivery in the current transaction and sends it once that commits.
	 * @param held an answer still being written: kept until {@link #release}
	 * @return its id; an existing one's when the same delivery was written before
	 */
	long add(String platform, Delivery delivery, Object address, boolean held) {
		ChannelRenderer<Object, Object> renderer = renderers.require(platform);
		String lane = renderer.lane(address);
		long now = clock.millis();
		// sent from here at once: claimed from the start, which spares a write
		boolean mine = !held && renderer.ready();
		Optional<Long> inserted = store.insert(platform, delivery.key(), lane, write(address), write(delivery),
				held ? DeliveryStore.HELD : DeliveryStore.PENDING, mine ? node.name() : null,
				mine ? now + CLAIM.toMillis() : null, now);
		if (inserted.isEmpty()) {
			return existing(platform, delivery.key());
		}
		if (!held) {
			sendAfterCommit(inserted.get(), lane);
		}
		return inserted.get();
	}

	/**
	 * Writes that an image job changed (a new delivery the first time) and sends it once
	 * the transaction commits; a running job's progress no sooner than the platform's
	 * pace.
	 */
	void changed(String platform, Delivery.Image image, Object address, boolean finished) {
		ChannelRenderer<Object, Object> renderer = renderers.require(platform);
		String lane = renderer.lane(address);
		long id = store.upsertChanged(platform, image.key(), lane, write(address), write(image), finished,
				renderer.progressInterval().toMillis(), clock.millis());
		sendAfterCommit(id, lane);
	}

	/**
	 * Makes a held answer due, in the current transaction, and sends it after commit
	 * (claimed from the start when this node can reach its platform).
	 */
	void release(long id, String platform) {
		long now = clock.millis();
		boolean mine = renderers.find(platform).map(ChannelRenderer::ready).orElse(false);
		store.release(id, platform, mine ? node.name() : null, mine ? now + CLAIM.toMillis() : null, now)
			.ifPresent(lane -> sendAfterCommit(id, lane));
	}

	/**
	 * Writes a delivery to where an earlier one goes (a question after an answer), in the
	 * current transaction; sent after commit, behind the earlier one in its lane.
	 */
	void addAfter(long earlier, Delivery delivery) {
		DeliveryStore.Row row = store.find(earlier)
			.orElseThrow(() -> new IllegalStateException("delivery " + earlier + " vanished"));
		ChannelRenderer<Object, Object> renderer = renderers.require(row.platform());
		long now = clock.millis();
		boolean mine = renderer.ready();
		store
			.insert(row.platform(), delivery.key(), row.lane(), row.address(), write(delivery), DeliveryStore.PENDING,
					mine ? node.name() : null, mine ? now + CLAIM.toMillis() : null, now)
			.ifPresent(id -> sendAfterCommit(id, row.lane()));
	}

	/** Keeps what an answer's live view posted. */
	void saveRefs(long id, Object refs) {
		store.saveRefs(id, write(refs), clock.millis());
	}

	/** A delivery's address and refs, for a live view. */
	Optional<DeliveryStore.Row> find(long id) {
		return store.find(id);
	}

	private long existing(String platform, String key) {
		// the same comic said twice, or the same event taken by a racing intake: the
		// first
		// row stands
		return store.findId(platform, key)
			.orElseThrow(() -> new IllegalStateException("delivery " + platform + "/" + key + " vanished"));
	}

	// ---------------------------------------------------------------- sending

	private void sendAfterCommit(long id, String lane) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					sendSoon(id, lane);
				}
			});
		}
		else {
			sendSoon(id, lane);
		}
	}

	/**
	 * Sends a delivery on a virtual thread, after the lane's earlier sends on this node.
	 */
	void sendSoon(long id, String lane) {
		lanes.submit(lane, () -> send(id));
	}

	/**
	 * One attempt at a delivery, when it is due and this node can reach its platform:
	 * claimed, shown as it stands now, and marked.
	 */
	void send(long id) {
		long now = clock.millis();
		Optional<DeliveryStore.Row> found = store.find(id);
		if (found.isEmpty() || !DeliveryStore.PENDING.equals(found.get().state())) {
			return;
		}
		DeliveryStore.Row row = found.get();
		ChannelRenderer<Object, Object> renderer = renderers.find(row.platform()).orElse(null);
		if (renderer == null || !renderer.ready() || row.nextAt() > now
				|| !row.claimedBy(node.name(), now) && !store.claim(id, node.name(), now + CLAIM.toMillis(), now)) {
			return; // not this node's to send now: the sweep of a node that can finds it
		}
		long claimedUntil = row.claimedBy(node.name(), now) ? row.claimedUntil() : now + CLAIM.toMillis();
		Delivery delivery;
		try {
			delivery = json.readValue(row.content(), Delivery.class);
		}
		catch (JsonProcessingException corrupt) {
			log.error("delivery {} cannot be read; giving it up: {}", id, corrupt.getOriginalMessage());
			store.fail(id, "unreadable content: " + corrupt.getOriginalMessage(), clock.millis());
			return;
		}
		try {
			Optional<Outbound> content = outbound(delivery);
			if (content.isEmpty()) {
				store.drop(id, clock.millis());
				return;
			}
			Object address = json.readValue(row.address(), renderer.addressType());
			Object refs = row.refs() == null ? null : json.readValue(row.refs(), renderer.refsType());
			Consumer<Object> checkpoint = progress -> store.saveRefs(id, write(progress), clock.millis());
			Sent<Object> sent = renderer
				.send(new Outgoing<>(id, content.get(), address, refs, row.shown(), row.attempts(), checkpoint));
			count(row.platform(), "sent");
			if (!recordSent(row, sent, renderer.progressInterval(), claimedUntil)) {
				return;
			}
			if (content.get() instanceof Outbound.Image) {
				// a change that came in during the send is due after the pace
				long after = clock.millis();
				store.find(id)
					.filter(again -> DeliveryStore.PENDING.equals(again.state()))
					.ifPresent(again -> retryLater(id, row.lane(), again.nextAt() - after));
			}
		}
		catch (DeliveryRefused refused) {
			log.warn("{} refused delivery {} ({}) for good: {}", row.platform(), id, row.key(), refused.getMessage());
			store.fail(id, refused.getMessage(), clock.millis());
			count(row.platform(), "refused");
		}
		catch (JsonProcessingException | RuntimeException failure) {
			int attempts = row.attempts() + 1;
			String error = failure.toString();
			if (attempts >= properties.deliveryAttempts()) {
				log.error("giving up delivery {} ({}) to {} after {} attempts: {}", id, row.key(), row.platform(),
						attempts, error);
				store.fail(id, error, clock.millis());
				count(row.platform(), "given-up");
				return;
			}
			Duration pause = backoff(attempts);
			log.info("delivery {} ({}) to {} failed ({}); trying again in {}", id, row.key(), row.platform(), error,
					pause);
			store.retry(id, attempts, clock.millis() + pause.toMillis(), error, clock.millis());
			count(row.platform(), "retried");
			retryLater(id, row.lane(), pause.toMillis());
		}
	}

	/**
	 * Marks a send the platform took. The send is not repeated when only this write fails
	 * (a database that is busy or briefly away): a reply token is spent once, and a
	 * repeat would reach the user twice. The write is tried again while this node's claim
	 * holds; only if the process stops in that time may another sender repeat the send.
	 */
	private boolean recordSent(DeliveryStore.Row row, Sent<Object> sent, Duration progressInterval, long claimedUntil) {
		String refs = sent.refs() == null ? null : write(sent.refs());
		Duration pause = Duration.ofMillis(200);
		long deadline = claimedUntil - Duration.ofSeconds(10).toMillis();
		while (true) {
			long after = clock.millis();
			try {
				store.sent(row.id(), row.version(), refs, sent.shown(), after + progressInterval.toMillis(), after);
				return true;
			}
			catch (RuntimeException failure) {
				if (after + pause.toMillis() > deadline) {
					log.error("delivery {} ({}) was sent but could not be marked: {}", row.id(), row.key(),
							failure.toString());
					return false;
				}
				log.warn("delivery {} ({}) was sent but not yet marked ({}); marking it again in {}", row.id(),
						row.key(), failure.toString(), pause);
				try {
					Thread.sleep(pause);
				}
				catch (InterruptedException stopping) {
					Thread.currentThread().interrupt();
					return false;
				}
				pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(5)) > 0 ? Duration.ofSeconds(5)
						: pause.multipliedBy(2);
			}
		}
	}

	/** Tries a delivery again on this node after a pause (the sweep would, too). */
	private void retryLater(long id, String lane, long delayMillis) {
		CompletableFuture.delayedExecutor(Math.max(0, delayMillis), TimeUnit.MILLISECONDS, senders)
			.execute(() -> sendSoon(id, lane));
	}

	/**
	 * Counts a send's outcome; the counters are looked up once per platform and outcome.
	 */
	private void count(String platform, String outcome) {
		counters
			.computeIfAbsent(platform + "/" + outcome,
					key -> meters.counter("switchboard.deliveries", "platform", platform, "outcome", outcome))
			.increment();
	}

	static Duration backoff(int attempts) {
		long millis = FIRST_RETRY.toMillis() << Math.min(20, attempts - 1);
		return Duration.ofMillis(Math.min(millis, LONGEST_RETRY.toMillis()));
	}

	/** What a delivery shows now; empty when there is nothing left to show. */
	private Optional<Outbound> outbound(Delivery delivery) {
		return switch (delivery) {
			case Delivery.Answer answer -> conversations.exchange(answer.answer()).map(exchange -> {
				if (exchange.answer().state() == AnswerState.PENDING) {
					// released before its turn settled it: a bug, or a turn run twice
					throw new IllegalStateException("answer " + answer.answer() + " is still pending");
				}
				// spoken (once, then kept) for an asker who wants spoken answers
				List<io.switchboard.voice.Spoken> spoken = exchange.answer().answered() ? this.speech
					.speak(exchange.answerId(), exchange.question().author().value(), exchange.answer().text())
						: List.of();
				return new Outbound.Answer(exchange, demo(exchange), spoken);
			});
			case Delivery.Notices notices -> notices.replies().isEmpty() ? Optional.empty()
					: Optional.of(new Outbound.Notices(notices.replies(), notices.answerFollows()));
			case Delivery.Image image ->
				jobs.find(new UserId(image.owner()), new ImageJobId(image.job())).map(Outbound.Image::new);
			case Delivery.Comic comic -> Optional.of(new Outbound.Comic(new ComicId(comic.comic()), comic.requester(),
					comic.title(), comic.strip(), comic.failure()));
		};
	}

	private boolean demo(Exchange exchange) {
		String model = exchange.answer().answer() != null ? exchange.answer().answer().model()
				: exchange.session().model();
		return models.find(model).map(ModelSpec::demo).orElse(false);
	}

	/**
	 * Queues a send of a delivery that is due (after the lane's earlier sends), for a
	 * process that cannot wait for the sweep.
	 */
	void sendIfDue(long id) {
		store.find(id)
			.filter(row -> DeliveryStore.PENDING.equals(row.state()))
			.ifPresent(row -> sendSoon(id, row.lane()));
	}

	/** Whether a delivery is over: sent, given up for good, or forgotten. */
	boolean done(long id) {
		return store.find(id)
			.map(row -> DeliveryStore.SENT.equals(row.state()) || DeliveryStore.FAILED.equals(row.state()))
			.orElse(true);
	}

	/** Waits for this node's sends under way; false when some are still going on. */
	boolean awaitSends(Duration wait) {
		return lanes.awaitIdle(wait);
	}

	/** Sends what is due and was not sent at once. */
	void sweep() {
		try {
			List<String> platforms = renderers.ready();
			for (DeliveryStore.Due due : store.due(platforms, clock.millis(), SWEEP_BATCH)) {
				if (!lanes.busy(due.lane())) {
					sendSoon(due.id(), due.lane());
				}
			}
		}
		catch (RuntimeException failure) {
			log.warn("could not look for due deliveries: {}", failure.toString());
		}
	}

	/** Forgets finished deliveries after the configured time. */
	int forgetOld() {
		return store.forget(clock.instant().minus(properties.keep()).toEpochMilli());
	}

	private String write(Object value) {
		try {
			return json.writeValueAsString(value);
		}
		catch (JsonProcessingException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	// -------------------------------------------------------------- lifecycle

	@Override
	public void start() {
		long every = properties.deliverySweepInterval().toMillis();
		ScheduledExecutorService scheduled = Executors
			.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("delivery-sweep").factory());
		scheduled.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
		sweeper = scheduled;
	}

	@Override
	public void stop() {
		ScheduledExecutorService current = sweeper;
		sweeper = null;
		if (current != null) {
			current.shutdownNow();
		}
		// sends under way finish or are claimed again after their claim runs out
		senders.shutdown();
	}

	@Override
	public boolean isRunning() {
		return sweeper != null;
	}

	/** Starts before the turns (which make deliveries due) and stops after them. */
	@Override
	public int getPhase() {
		return ChannelPhases.DELIVERIES;
	}

}
