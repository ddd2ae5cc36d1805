package io.switchboard.channel.slack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.slack.api.model.block.LayoutBlock;
import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ReplySink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows the assistant's events in a Slack thread. A model's answer gets a placeholder
 * reply at once, updated with {@code chat.update} as the text arrives, no more often than
 * the configured pace (and later when Slack asks us to wait); an answer longer than one
 * message continues in further replies. Notices become their own replies, with their
 * actions as buttons.
 */
final class ThreadReply implements ReplySink {

	private static final Logger log = LoggerFactory.getLogger(ThreadReply.class);

	/** Characters per message: Slack shows up to about 4000 before it folds a message. */
	static final int MESSAGE_MAX = 3500;

	static final String PLACEHOLDER = "_Thinking…_";

	private static final int FINAL_ATTEMPTS = 4;

	private final SlackApi api;

	private final String channel;

	private final String threadTs;

	private final long intervalNanos;

	private final Consumer<String> placeholderPosted;

	/** The messages the current answer occupies, and what each shows. */
	private final List<String> messageTs = new ArrayList<>();

	private final List<String> shown = new ArrayList<>();

	private final StringBuilder answer = new StringBuilder();

	/** A placeholder posted earlier (by an attempt that did not finish), to reuse. */
	private String reusable;

	private long nextUpdate;

	private boolean demo;

	private String model;

	/**
	 * @param reusable a reply posted by an earlier attempt at the same message, or null
	 * @param placeholderPosted told the ts of the first reply, so a repeat reuses it
	 */
	ThreadReply(SlackApi api, String channel, String threadTs, Duration interval, String reusable,
			Consumer<String> placeholderPosted) {
		this.api = api;
		this.channel = channel;
		this.threadTs = threadTs;
		this.intervalNanos = interval.toNanos();
		this.reusable = reusable;
		this.placeholderPosted = placeholderPosted;
	}

	@Override
	public void accept(ReplyEvent event) {
		switch (event) {
			case ReplyEvent.AnswerStarted started -> {
				model = started.model();
				demo = started.demo();
				startAnswer();
			}
			case ReplyEvent.AnswerDelta delta -> {
				answer.append(delta.text());
				if (System.nanoTime() - nextUpdate >= 0) {
					show(SlackMarkdown.toMrkdwn(answer.toString()), null, false);
				}
			}
			case ReplyEvent.AnswerCompleted completed -> {
				String text = SlackMarkdown.toMrkdwn(completed.text());
				if (text.isBlank()) {
					text = "_(The model gave an empty answer.)_";
				}
				if (completed.demo()) {
					text += "\n\n_Demo model (" + model + "): not a real AI answer._";
				}
				show(text, null, true);
				messageTs.clear();
				shown.clear();
			}
			case ReplyEvent.AnswerFailed failed -> {
				String partial = SlackMarkdown.toMrkdwn(answer.toString());
				String text = (partial.isBlank() ? "" : partial + "\n\n") + ":warning: "
						+ SlackMarkdown.escape(failed.message());
				show(text, null, true);
				messageTs.clear();
				shown.clear();
			}
			case ReplyEvent.Notice notice -> notice(notice.reply());
		}
	}

	/** Whether the model called in this reply was the demo. */
	boolean demo() {
		return demo;
	}

	private void startAnswer() {
		answer.setLength(0);
		messageTs.clear();
		shown.clear();
		String ts = reusable != null ? reusable : api.postMessage(channel, threadTs, PLACEHOLDER, null);
		if (reusable == null) {
			placeholderPosted.accept(ts);
		}
		reusable = null;
		messageTs.add(ts);
		shown.add(PLACEHOLDER);
		nextUpdate = System.nanoTime() + intervalNanos;
	}

	private void notice(Reply reply) {
		String text = SlackMarkdown.toMrkdwn(reply.text());
		List<LayoutBlock> blocks = SlackBlocks.reply(text, reply.actions());
		List<String> parts = SlackMarkdown.split(text, MESSAGE_MAX);
		for (int i = 0; i < parts.size(); i++) {
			String part = parts.get(i);
			List<LayoutBlock> partBlocks = i == parts.size() - 1 && blocks != null
					? SlackBlocks.reply(part, reply.actions()) : null;
			if (reusable != null) {
				String ts = reusable;
				reusable = null;
				finalCall(() -> api.updateMessage(channel, ts, part, partBlocks));
			}
			else {
				String ts = postWithPatience(part, partBlocks);
				if (ts != null) {
					placeholderPosted.accept(ts);
				}
			}
		}
	}

	/**
	 * Brings the answer's messages up to {@code text}. A streaming update gives way when
	 * Slack is busy; the final one waits for it.
	 */
	private void show(String text, List<LayoutBlock> blocks, boolean last) {
		List<String> parts = SlackMarkdown.split(text.isBlank() ? PLACEHOLDER : text, MESSAGE_MAX);
		try {
			for (int i = 0; i < parts.size(); i++) {
				String part = parts.get(i);
				if (i < messageTs.size()) {
					if (!part.equals(shown.get(i))) {
						String ts = messageTs.get(i);
						if (last) {
							finalCall(() -> api.updateMessage(channel, ts, part, blocks));
						}
						else {
							api.updateMessage(channel, ts, part, null);
						}
						shown.set(i, part);
					}
				}
				else {
					String ts = last ? postWithPatience(part, null) : api.postMessage(channel, threadTs, part, null);
					messageTs.add(ts);
					shown.add(part);
				}
			}
			nextUpdate = System.nanoTime() + intervalNanos;
		}
		catch (SlackApi.RateLimited slowDown) {
			nextUpdate = System.nanoTime() + Math.max(intervalNanos, slowDown.retryAfter().toNanos());
		}
		catch (SlackApi.Failed failed) {
			// a lost streaming update is repaired by the next one
			log.warn("could not update a streamed answer in {}: {}", channel, failed.getMessage());
			nextUpdate = System.nanoTime() + intervalNanos;
		}
	}

	private String postWithPatience(String text, List<LayoutBlock> blocks) {
		String[] ts = new String[1];
		finalCall(() -> ts[0] = api.postMessage(channel, threadTs, text, blocks));
		return ts[0];
	}

	/**
	 * A call that must land (the answer is already recorded): waits as long as Slack
	 * asks, a few times, then gives up with a log line rather than answering twice.
	 */
	private void finalCall(Runnable call) {
		for (int attempt = 1;; attempt++) {
			try {
				call.run();
				return;
			}
			catch (SlackApi.RateLimited slowDown) {
				if (attempt == FINAL_ATTEMPTS) {
					log.warn("gave up a final message in {} after {} rate limits", channel, attempt);
					return;
				}
				sleep(slowDown.retryAfter());
			}
			catch (SlackApi.Failed failed) {
				if (attempt == FINAL_ATTEMPTS) {
					log.warn("gave up a final message in {}: {}", channel, failed.getMessage());
					return;
				}
				sleep(Duration.ofMillis(250L * attempt));
			}
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
			throw new SlackApi.Failed("sleep", "interrupted");
		}
	}

}
