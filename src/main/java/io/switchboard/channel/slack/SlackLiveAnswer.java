package io.switchboard.channel.slack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ToolSteps;
import io.switchboard.channel.LiveAnswer;

/**
 * An answer in a Slack thread while its model writes it: a placeholder reply at once
 * ("queued" while the provider is busy, then "Thinking…"), updated with
 * {@code chat.update} as the text arrives, no more often than the configured pace (and
 * later when Slack asks us to wait); past one message's length it continues in further
 * replies. Every message it posts is kept at once, so the delivery of the finished answer
 * edits them, also after a restart.
 */
final class SlackLiveAnswer implements LiveAnswer {

	private static final Logger log = LoggerFactory.getLogger(SlackLiveAnswer.class);

	static final String THINKING = "_Thinking…_";

	private final SlackApi api;

	private final String channel;

	private final long intervalNanos;

	private final Consumer<SlackRefs> save;

	private SlackRefs refs;

	private final List<String> shown = new ArrayList<>();

	private final StringBuilder answer = new StringBuilder();

	private long nextUpdate;

	SlackLiveAnswer(SlackApi api, SlackAddress.Thread address, SlackRefs refs, Duration interval,
			Consumer<SlackRefs> save) {
		this.api = api;
		this.channel = address.channel();
		this.refs = refs == null ? SlackRefs.none(address.thread()) : refs;
		this.intervalNanos = interval.toNanos();
		this.save = save;
		this.refs.messages().forEach(ts -> shown.add(null));
	}

	@Override
	public void queued(int ahead) {
		placeholder("_Queued: " + ahead + (ahead == 1 ? " answer" : " answers") + " ahead of this one…_");
	}

	@Override
	public void accept(ReplyEvent event) {
		switch (event) {
			case ReplyEvent.AnswerStarted started -> {
				placeholder(THINKING);
				nextUpdate = System.nanoTime() + intervalNanos;
			}
			case ReplyEvent.AnswerDelta delta -> {
				answer.append(delta.text());
				if (System.nanoTime() - nextUpdate >= 0) {
					show(SlackMarkdown.toMrkdwn(answer.toString()));
				}
			}
			case ReplyEvent.ToolUsed used -> {
				// a short line in the message being edited, before the answer goes on
				if (!answer.isEmpty() && answer.charAt(answer.length() - 1) != '\n') {
					answer.append('\n');
				}
				answer.append('_').append(ToolSteps.line(used)).append("_\n");
				show(SlackMarkdown.toMrkdwn(answer.toString()));
			}
			default -> {
				// the delivery shows the finished answer, or why there is none
			}
		}
	}

	/** The first message: posted once, then edited. */
	private void placeholder(String text) {
		if (refs.messages().isEmpty()) {
			String ts = api.postMessage(channel, refs.thread(), text, null);
			refs = refs.with(ts);
			shown.add(text);
			save.accept(refs);
		}
		else if (!text.equals(shown.getFirst())) {
			api.updateMessage(channel, refs.messages().getFirst(), text, null);
			shown.set(0, text);
		}
	}

	/** Brings the messages up to the text so far; gives way when Slack is busy. */
	private void show(String text) {
		List<String> parts = SlackMarkdown.split(text.isBlank() ? THINKING : text, SlackRenderer.MESSAGE_MAX);
		try {
			for (int i = 0; i < parts.size(); i++) {
				String part = parts.get(i);
				if (i < refs.messages().size()) {
					if (!part.equals(shown.get(i))) {
						api.updateMessage(channel, refs.messages().get(i), part, null);
						shown.set(i, part);
					}
				}
				else {
					refs = refs.with(api.postMessage(channel, refs.thread(), part, null));
					shown.add(part);
					save.accept(refs);
				}
			}
			nextUpdate = System.nanoTime() + intervalNanos;
		}
		catch (SlackApi.RateLimited slowDown) {
			nextUpdate = System.nanoTime() + Math.max(intervalNanos, slowDown.retryAfter().toNanos());
		}
		catch (SlackApi.Failed failed) {
			// a lost streaming update is repaired by the next one, or by the delivery
			log.debug("could not update a streamed answer in {}: {}", channel, failed.getMessage());
			nextUpdate = System.nanoTime() + intervalNanos;
		}
	}

}
