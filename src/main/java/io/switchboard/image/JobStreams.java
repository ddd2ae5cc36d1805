package io.switchboard.image;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import io.switchboard.image.view.JobView;
import jakarta.annotation.PreDestroy;

import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of jobs' progress: each open stream is kept by job id and sent a
 * {@code job} event with the job's view on every change, then closed once the job has
 * finished. Streams wait without a thread (asynchronous requests). Events are written on
 * a virtual thread, never on the thread that changed the job (a slow browser must not
 * hold up a job's step), and a stream that falls behind gets only the newest state.
 *
 * <p>
 * With several nodes on one database a job's steps run on whichever node picks them up,
 * and the change event is heard only there; so while streams are open, each job with one
 * is also read again every {@link #RECHECK} and sent when it changed (one read per open
 * job and recheck, none when no page follows a job).
 */
@Component
class JobStreams {

	static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);

	static final Duration RECHECK = Duration.ofSeconds(1);

	private final Map<Long, List<Stream>> streams = new ConcurrentHashMap<>();

	private final ScheduledExecutorService rechecks = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("image-stream-recheck").factory());

	JobStreams() {
		rechecks.scheduleWithFixedDelay(this::recheck, RECHECK.toMillis(), RECHECK.toMillis(), TimeUnit.MILLISECONDS);
	}

	@PreDestroy
	void stop() {
		rechecks.shutdownNow();
	}

	/** Reads each followed job again: another node may have changed it. */
	private void recheck() {
		streams.values().forEach(open -> open.forEach(stream -> {
			try {
				stream.current.get().ifPresent(stream::offer);
			}
			catch (RuntimeException failed) {
				// the database is away for a moment: the next recheck tries again
			}
		}));
	}

	/**
	 * Opens a stream: registered first, then sent the job as it is now, so no change in
	 * between is missed.
	 */
	SseEmitter open(long id, Supplier<Optional<ImageJob>> current, Function<ImageJob, JobView> view) {
		SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
		Stream stream = new Stream(emitter, view, current);
		streams.computeIfAbsent(id, key -> new CopyOnWriteArrayList<>()).add(stream);
		Runnable forget = () -> forget(id, stream);
		emitter.onCompletion(forget);
		emitter.onTimeout(forget);
		emitter.onError(failure -> forget.run());
		current.get().ifPresentOrElse(stream::offer, emitter::complete);
		return emitter;
	}

	@EventListener
	void on(ImageJobUpdated updated) {
		List<Stream> open = streams.get(updated.job().id().value());
		if (open != null) {
			open.forEach(stream -> stream.offer(updated.job()));
		}
	}

	private void forget(long id, Stream stream) {
		streams.computeIfPresent(id, (key, list) -> {
			list.remove(stream);
			return list.isEmpty() ? null : list;
		});
	}

	int open() {
		return streams.values().stream().mapToInt(List::size).sum();
	}

	/** One browser's stream: the newest state waiting to be sent, and who is sending. */
	private static final class Stream {

		private final SseEmitter emitter;

		private final Function<ImageJob, JobView> view;

		private final Supplier<Optional<ImageJob>> current;

		private final AtomicReference<ImageJob> pending = new AtomicReference<>();

		/**
		 * The last state offered, so that a recheck finding nothing new sends nothing.
		 */
		private final AtomicReference<ImageJob> offered = new AtomicReference<>();

		private final AtomicBoolean sending = new AtomicBoolean();

		private volatile boolean done;

		Stream(SseEmitter emitter, Function<ImageJob, JobView> view, Supplier<Optional<ImageJob>> current) {
			this.emitter = emitter;
			this.view = view;
			this.current = current;
		}

		void offer(ImageJob job) {
			ImageJob before = offered.getAndUpdate(last -> newer(job, last) ? job : last);
			if (!newer(job, before)) {
				return;
			}
			// a finished state is the last word: a late progress event must not replace
			// it
			pending.accumulateAndGet(job,
					(waiting, next) -> waiting != null && waiting.state().finished() && !next.state().finished()
							? waiting : next);
			if (sending.compareAndSet(false, true)) {
				Thread.ofVirtual().name("image-stream").start(this::drain);
			}
		}

		/**
		 * Whether {@code job} says more than {@code last}: a later change, or the end.
		 */
		private static boolean newer(ImageJob job, ImageJob last) {
			if (last == null) {
				return true;
			}
			if (last.state().finished()) {
				return false;
			}
			return job.state().finished() || job.updatedAt().isAfter(last.updatedAt())
					|| !job.equals(last) && !job.updatedAt().isBefore(last.updatedAt());
		}

		private void drain() {
			while (true) {
				ImageJob job = pending.getAndSet(null);
				if (job == null) {
					sending.set(false);
					// something may have arrived between the read and the release
					if (pending.get() == null || !sending.compareAndSet(false, true)) {
						return;
					}
					continue;
				}
				send(job);
			}
		}

		private void send(ImageJob job) {
			if (done) {
				return;
			}
			try {
				emitter.send(SseEmitter.event().name("job").data(view.apply(job), MediaType.APPLICATION_JSON));
				if (job.state().finished()) {
					done = true;
					emitter.complete();
				}
			}
			catch (IOException | IllegalStateException gone) {
				// the browser went away, or the stream completed already
				done = true;
				try {
					emitter.completeWithError(gone);
				}
				catch (RuntimeException alreadyDone) {
					// nothing more to close
				}
			}
		}

	}

}
