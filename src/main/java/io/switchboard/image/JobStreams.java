package io.switchboard.image;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.switchboard.image.view.JobView;

import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of jobs' progress: each open stream is kept by job id and sent a
 * {@code job} event with the job's view on every change, then closed once the job has
 * finished. Streams wait without a thread (asynchronous requests).
 */
@Component
class JobStreams {

	static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);

	private final Map<Long, List<Stream>> streams = new ConcurrentHashMap<>();

	private record Stream(SseEmitter emitter, Function<ImageJob, JobView> view) {
	}

	/** Opens a stream that starts with the job as it is now. */
	SseEmitter open(ImageJob job, Function<ImageJob, JobView> view) {
		SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
		long id = job.id().value();
		Stream stream = new Stream(emitter, view);
		streams.computeIfAbsent(id, key -> new CopyOnWriteArrayList<>()).add(stream);
		Runnable forget = () -> forget(id, stream);
		emitter.onCompletion(forget);
		emitter.onTimeout(forget);
		emitter.onError(failure -> forget.run());
		send(stream, job);
		return emitter;
	}

	@EventListener
	void on(ImageJobUpdated updated) {
		List<Stream> open = streams.get(updated.job().id().value());
		if (open != null) {
			open.forEach(stream -> send(stream, updated.job()));
		}
	}

	private void send(Stream stream, ImageJob job) {
		try {
			JobView view = stream.view().apply(job);
			stream.emitter().send(SseEmitter.event().name("job").data(view, MediaType.APPLICATION_JSON));
			if (job.state().finished()) {
				stream.emitter().complete();
			}
		}
		catch (IOException | IllegalStateException gone) {
			// the browser went away, or the stream completed already
			try {
				stream.emitter().completeWithError(gone);
			}
			catch (RuntimeException alreadyDone) {
				// nothing more to close
			}
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

}
