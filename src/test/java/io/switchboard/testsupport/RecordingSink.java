package io.switchboard.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.switchboard.assistant.Assistant;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Received;
import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ReplySink;

/** A reply sink that keeps every event, for tests to read. */
public final class RecordingSink implements ReplySink {

	private final List<ReplyEvent> events = new CopyOnWriteArrayList<>();

	@Override
	public void accept(ReplyEvent event) {
		events.add(event);
	}

	public List<ReplyEvent> events() {
		return List.copyOf(events);
	}

	public <T extends ReplyEvent> List<T> of(Class<T> type) {
		return events.stream().filter(type::isInstance).map(type::cast).toList();
	}

	/** The one notice's reply; fails when there is not exactly one. */
	public Reply notice() {
		List<ReplyEvent.Notice> notices = of(ReplyEvent.Notice.class);
		if (notices.size() != 1) {
			throw new AssertionError("expected one notice, got " + events);
		}
		return notices.getFirst().reply();
	}

	/** The streamed pieces joined. */
	public String streamedText() {
		StringBuilder text = new StringBuilder();
		of(ReplyEvent.AnswerDelta.class).forEach(delta -> text.append(delta.text()));
		return text.toString();
	}

	public ReplyEvent.AnswerCompleted completed() {
		List<ReplyEvent.AnswerCompleted> completed = of(ReplyEvent.AnswerCompleted.class);
		if (completed.size() != 1) {
			throw new AssertionError("expected one completed answer, got " + events);
		}
		return completed.getFirst();
	}

	/**
	 * Takes a message in as a channel would (see {@link Assistant#receive}) and keeps its
	 * replies here as notices; returns what the assistant made of it.
	 */
	public Received receive(Assistant assistant, InboundMessage message) {
		Received received = assistant.receive(message);
		if (received instanceof Received.Replied replied) {
			replied.replies().forEach(reply -> accept(new ReplyEvent.Notice(reply)));
		}
		return received;
	}

	public void clear() {
		events.clear();
	}

}
