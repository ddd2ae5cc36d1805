package io.switchboard.image;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.image.provider.ImageProviderException;
import io.switchboard.image.provider.Images;
import io.switchboard.image.provider.ProviderJob;
import io.switchboard.image.provider.ProviderUpdate;
import io.switchboard.media.Media;
import io.switchboard.media.MediaRejected;
import io.switchboard.media.MediaStore;
import io.switchboard.moderation.Moderation;
import io.switchboard.moderation.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs image jobs durably. Each unfinished job has one db-scheduler task (named
 * {@value #TASK}, instance id = the job's id) that takes one step and says when to take
 * the next: wait for a free slot, send the job to its provider, or ask the provider how
 * it is doing; the step patches the record and publishes the change. No thread waits for
 * a job between steps, and since the task lives in the database, a job that was under way
 * when the process stopped is taken up again when a node starts.
 */
@Component
class ImageEngine {

	static final String TASK = "image-job";

	private static final Logger log = LoggerFactory.getLogger(ImageEngine.class);

	private final JobStore store;

	private final ImageProviders providers;

	private final ImageProperties properties;

	private final MediaStore media;

	private final SchedulerClient scheduler;

	private final TransactionTemplate transactions;

	private final ApplicationEventPublisher events;

	private final MeterRegistry meters;

	private final Moderation moderation;

	private final Clock clock;

	/** Per job, its last update still being handed to listeners. */
	private final ConcurrentHashMap<Long, CompletableFuture<Void>> publishing = new ConcurrentHashMap<>();

	private final Executor listeners = Executors.newVirtualThreadPerTaskExecutor();

	ImageEngine(JobStore store, ImageProviders providers, ImageProperties properties, MediaStore media,
			@Lazy SchedulerClient scheduler, TransactionTemplate transactions, ApplicationEventPublisher events,
			MeterRegistry meters, Moderation moderation, Clock clock) {
		this.store = store;
		this.providers = providers;
		this.properties = properties;
		this.media = media;
		this.scheduler = scheduler;
		this.transactions = transactions;
		this.events = events;
		this.meters = meters;
		this.moderation = moderation;
		this.clock = clock;
	}

	/**
	 * Schedules a newly recorded job's first step; call inside the recording transaction.
	 */
	void start(long id) {
		scheduler.scheduleIfNotExists(new TaskInstance<Void>(TASK, Long.toString(id)), clock.instant());
	}

	/**
	 * Takes one step of a job; returns when to take the next, or empty when the job is
	 * finished.
	 */
	Optional<Instant> step(long id) {
		JobStore.StoredJob stored = store.find(id).orElse(null);
		if (stored == null || stored.job().state().finished()) {
			return Optional.empty();
		}
		ImageJob job = stored.job();
		log.debug("image job {}: step in state {}", id, job.state());
		ImageProviders.Entry entry = providers.find(job.provider()).orElse(null);
		if (entry == null) {
			finishFailed(stored, "The image provider " + job.provider() + " is no longer configured on this server.");
			return Optional.empty();
		}
		Instant now = clock.instant();
		if (job.state() == JobState.QUEUED) {
			boolean admitted = Boolean.TRUE.equals(transactions.execute(status -> store.admit(id, entry.name(),
					job.owner(), entry.maxConcurrent(), properties.perUserConcurrency(), now)));
			if (!admitted) {
				return Optional.of(now.plus(properties.queueRecheck()));
			}
			stored = store.find(id).orElseThrow();
			Optional<String> refusal = moderate(stored.job());
			if (refusal.isPresent()) {
				finishFailed(stored, refusal.get());
				return Optional.empty();
			}
			publish(stored.job());
		}
		Duration running = Duration.between(stored.submittedAt() == null ? now : stored.submittedAt(), now);
		if (running.compareTo(entry.timeout()) > 0) {
			if (stored.job().providerTaskId() != null) {
				entry.provider().cancel(providerJob(stored), stored.job().providerTaskId());
			}
			finishFailed(stored, "The image provider " + entry.name() + " did not finish within "
					+ words(entry.timeout()) + ", so the job was stopped.");
			return Optional.empty();
		}
		return send(stored, entry, running);
	}

	/**
	 * Why a new prompt may not be drawn, where moderation is on for the platform it came
	 * from. Checked once, when the job is admitted (and so outside any transaction, and
	 * not again at every look for a free slot); variations, upscales and rerolls reuse a
	 * prompt that was checked.
	 */
	private Optional<String> moderate(ImageJob job) {
		if (job.kind() != JobKind.ORIGIN) {
			return Optional.empty();
		}
		return switch (moderation.check(job.origin().place().platform(), job.prompt())) {
			case Verdict.Allowed allowed -> Optional.empty();
			case Verdict.Flagged flagged -> Optional
				.of("This prompt was not drawn: the moderation check flagged it as " + flagged.categoryWords() + ".");
			case Verdict.Unavailable unavailable -> Optional
				.of("This prompt could not be checked by moderation just now, so nothing was drawn. Please try again "
						+ "in a moment.");
		};
	}

	private Optional<Instant> send(JobStore.StoredJob stored, ImageProviders.Entry entry, Duration running) {
		ImageJob job = stored.job();
		ProviderJob providerJob = providerJob(stored);
		try {
			ProviderUpdate update = job.providerTaskId() == null ? entry.provider().submit(providerJob)
					: entry.provider().poll(providerJob, job.providerTaskId());
			return switch (update) {
				case ProviderUpdate.Working working -> {
					JobState state = working.started() || job.state() == JobState.RUNNING ? JobState.RUNNING
							: JobState.SUBMITTED;
					boolean changed = state != job.state() || working.progress() != job.progress()
							|| !working.taskId().equals(job.providerTaskId());
					if (changed && store.progress(stored.id(), state, working.taskId(), working.progress(),
							clock.instant())) {
						store.find(stored.id()).ifPresent(patched -> publish(patched.job()));
					}
					if (working.ready() != null) {
						wakeWhenReady(stored.id(), working.ready());
					}
					yield Optional.of(clock.instant().plus(entry.nextPoll(running)));
				}
				case ProviderUpdate.Done done -> {
					finishSucceeded(stored, entry, done);
					yield Optional.empty();
				}
			};
		}
		catch (ImageProviderException.Refused refused) {
			log.info("image job {} refused by {}: {}", stored.id(), entry.name(), refused.getMessage(),
					refused.getCause());
			finishFailed(stored, refused.getMessage());
			return Optional.empty();
		}
		catch (ImageProviderException.Lost lost) {
			log.info("image job {}: {} lost the task ({}); sending it again", stored.id(), entry.name(),
					lost.getMessage());
			return retry(stored, true, "The image provider " + entry.name() + " lost the job.", Duration.ZERO);
		}
		catch (ImageProviderException.Retriable retriable) {
			log.info("image job {}: {} failed for now: {}", stored.id(), entry.name(), retriable.getMessage(),
					retriable.getCause());
			return retry(stored, retriable.resend(), retriable.getMessage(),
					properties.retryBackoff().multipliedBy(1L << Math.min(10, stored.attempts())));
		}
		catch (MediaRejected rejected) {
			finishFailed(stored, "The image provider " + entry.name() + " sent an image that cannot be kept: "
					+ rejected.getMessage());
			return Optional.empty();
		}
		catch (RuntimeException unexpected) {
			log.warn("image job {}: unexpected failure with {}", stored.id(), entry.name(), unexpected);
			return retry(stored, false, "The image provider " + entry.name() + " failed unexpectedly.",
					properties.retryBackoff().multipliedBy(1L << Math.min(10, stored.attempts())));
		}
	}

	private Optional<Instant> retry(JobStore.StoredJob stored, boolean resend, String reason, Duration wait) {
		if (stored.attempts() + 1 >= properties.maxAttempts()) {
			finishFailed(stored, reason + " (gave up after " + properties.maxAttempts() + " attempts)");
			return Optional.empty();
		}
		store.attemptFailed(stored.id(), resend, clock.instant());
		return Optional.of(clock.instant().plus(wait));
	}

	private void finishSucceeded(JobStore.StoredJob stored, ImageProviders.Entry entry, ProviderUpdate.Done done) {
		boolean grid = stored.job().kind().producesCandidates();
		int wanted = grid ? 4 : 1;
		if (done.images().size() < wanted) {
			throw new ImageProviderException.Refused("The image provider " + entry.name() + " sent "
					+ done.images().size() + " image(s) instead of " + wanted + ".");
		}
		List<String> candidates = new ArrayList<>(wanted);
		List<byte[]> images = done.images().subList(0, wanted);
		for (byte[] image : images) {
			candidates.add(media.store(image).sha256());
		}
		String gridSha = grid ? media.store(Images.grid(images)).sha256() : null;
		boolean recorded = Boolean.TRUE.equals(transactions.execute(status -> store.succeed(stored.id(), candidates,
				gridSha, done.taskId(), done.providerState(), clock.instant())));
		if (recorded) {
			count(stored.job().provider(), "succeeded");
			finished(stored);
		}
	}

	private void finishFailed(JobStore.StoredJob stored, String reason) {
		if (store.fail(stored.id(), reason, clock.instant())) {
			count(stored.job().provider(), "failed");
			finished(stored);
		}
	}

	/**
	 * Publishes the finished job and lets the next queued jobs try for the freed slot.
	 */
	void finished(JobStore.StoredJob stored) {
		store.find(stored.id()).ifPresent(done -> publish(done.job()));
		wakeQueued(stored.job());
	}

	/**
	 * Wakes the oldest queued jobs that could take the slot a job of {@code job}'s gave
	 * up.
	 */
	void wakeQueued(ImageJob job) {
		Set<Long> ids = new LinkedHashSet<>();
		providers.find(job.provider()).ifPresent(entry -> ids.addAll(store.oldestQueued(entry.name(), 2)));
		ids.addAll(store.oldestQueuedOf(job.owner(), 2));
		Instant now = clock.instant();
		for (long id : ids) {
			wake(id, now);
		}
	}

	private void wakeWhenReady(long id, CompletionStage<?> ready) {
		ready.whenComplete((result, failure) -> wake(id, clock.instant()));
	}

	/** Brings a job's next step forward to now (a provider called back). */
	void wakeNow(long id) {
		wake(id, clock.instant());
	}

	/**
	 * Brings a job's next step forward to {@code at}; harmless if it is running right
	 * now.
	 */
	void wake(long id, Instant at) {
		try {
			scheduler.reschedule(TaskInstanceId.of(TASK, Long.toString(id)), at);
		}
		catch (RuntimeException busy) {
			// the step is running now (it will schedule its own next one) or is done
			log.debug("could not wake image job {}: {}", id, busy.getMessage());
		}
	}

	ProviderJob providerJob(JobStore.StoredJob stored) {
		ImageJob job = stored.job();
		ProviderJob.Parent parent = null;
		if (job.parent() != null) {
			parent = store.find(job.parent().value())
				.map(p -> new ProviderJob.Parent(p.id(), p.job().kind(), p.job().providerTaskId(), p.providerState()))
				.orElse(null);
		}
		String source = stored.sourceSha256();
		return new ProviderJob(stored.id(), job.kind(), stored.work(), job.prompt(), job.negativePrompt(),
				job.settings(), job.parentIndex(), parent,
				source == null ? null : () -> media.load(source)
					.map(Media::bytes)
					.orElseThrow(
							() -> new ImageProviderException.Refused("The image to work on is no longer stored.")));
	}

	/**
	 * Publishes a change once the surrounding transaction has committed (at once if there
	 * is none). Listeners run on a virtual thread of their own rather than inside the
	 * committing transaction's completion, where the connection is still bound (and on
	 * SQLite still holds the write lock), so a listener may use the database freely. One
	 * job's updates reach listeners in the order they were made.
	 */
	void publish(ImageJob job) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					dispatch(job);
				}
			});
		}
		else {
			dispatch(job);
		}
	}

	private void dispatch(ImageJob job) {
		long id = job.id().value();
		CompletableFuture<Void> sent = publishing.compute(id,
				(key, previous) -> (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
					.thenRunAsync(() -> {
						try {
							events.publishEvent(new ImageJobUpdated(job));
						}
						catch (RuntimeException failure) {
							log.warn("a listener of image job {} failed: {}", id, failure.toString());
						}
					}, listeners));
		sent.whenComplete((done, failure) -> publishing.remove(id, sent));
	}

	void count(String provider, String outcome) {
		meters.counter("switchboard.image.jobs", "provider", provider, "outcome", outcome).increment();
	}

	static String words(Duration duration) {
		if (duration.toSeconds() < 120) {
			return duration.toSeconds() == 1 ? "1 second" : duration.toSeconds() + " seconds";
		}
		if (duration.toMinutes() < 120) {
			return duration.toMinutes() + " minutes";
		}
		return duration.toHours() + " hours";
	}

}
