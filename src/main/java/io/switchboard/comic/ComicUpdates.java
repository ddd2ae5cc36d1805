package io.switchboard.comic;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.switchboard.image.ImageJob;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The studio pages watching a comic: each gets a server-sent event per change of one of
 * its panels' image jobs ({@code panel} events with the panel, job, state and progress),
 * so progress shows per panel without polling.
 */
@Component
class ComicUpdates implements SmartLifecycle {

	static final Duration TIMEOUT = Duration.ofMinutes(30);

	private final Map<Long, List<SseEmitter>> watchers = new ConcurrentHashMap<>();

	private volatile boolean running;

	SseEmitter watch(ComicId comic) {
		SseEmitter emitter = new SseEmitter(TIMEOUT.toMillis());
		List<SseEmitter> list = watchers.computeIfAbsent(comic.value(), key -> new CopyOnWriteArrayList<>());
		list.add(emitter);
		Runnable forget = () -> list.remove(emitter);
		emitter.onCompletion(forget);
		emitter.onTimeout(forget);
		emitter.onError(error -> forget.run());
		try {
			emitter.send(SseEmitter.event().name("hello").data("{}"));
		}
		catch (IOException gone) {
			forget.run();
		}
		return emitter;
	}

	@Override
	public void start() {
		running = true;
	}

	/**
	 * Ends every open stream before the web server's graceful shutdown, which would
	 * otherwise wait for them (a page keeps its stream open as long as it is shown).
	 */
	@Override
	public void stop() {
		running = false;
		watchers.values().forEach(list -> list.forEach(SseEmitter::complete));
		watchers.clear();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	/** What a page needs to update one panel's progress. */
	record PanelUpdate(int panel, long job, String state, int progress, boolean finished) {
	}

	void publish(ComicId comic, int panel, ImageJob job) {
		List<SseEmitter> list = watchers.get(comic.value());
		if (list == null || list.isEmpty()) {
			return;
		}
		PanelUpdate update = new PanelUpdate(panel, job.id().value(), job.state().name().toLowerCase(), job.progress(),
				job.state().finished());
		for (SseEmitter emitter : list) {
			try {
				emitter.send(SseEmitter.event().name("panel").data(update));
			}
			catch (IOException | IllegalStateException gone) {
				list.remove(emitter);
			}
		}
	}

}
