package io.switchboard.channel.discord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ToolSteps;
import io.switchboard.channel.LiveAnswer;

/**
 * An answer in Discord while its model writes it: the question gets ⏳ while it waits for
 * its model's provider and ✍🏻 while the model writes, and the answer is a reply edited
 * at a steady pace as it grows (a pump on its own virtual thread edits at most once per
 * interval, whatever the model's speed, which keeps within Discord's edit rate limit),
 * continued in further messages past 2,000 characters without cutting code blocks. Every
 * message it posts is kept at once; the delivery of the finished answer edits them and
 * swaps ✍🏻 for 👌.
 */
final class DiscordLiveAnswer implements LiveAnswer {

	private static final Logger log = LoggerFactory.getLogger(DiscordLiveAnswer.class);

	private final MessageChannel channel;

	private final long question;

	private final Duration interval;

	private final Consumer<DiscordRefs> save;

	private final StringBuilder streamed = new StringBuilder();

	private final CountDownLatch finished = new CountDownLatch(1);

	/** What each posted message shows; guarded by itself. */
	private final List<String> shown = new ArrayList<>();

	private DiscordRefs refs;

	private boolean waiting;

	private Thread pump;

	DiscordLiveAnswer(MessageChannel channel, long question, DiscordRefs refs, Duration interval,
			Consumer<DiscordRefs> save) {
		this.channel = channel;
		this.question = question;
		this.refs = refs == null ? DiscordRefs.NONE : refs;
		this.interval = interval;
		this.save = save;
		this.refs.messages().forEach(id -> shown.add(null));
	}

	@Override
	public void queued(int ahead) {
		if (!waiting) {
			waiting = true;
			channel.addReactionById(question, Discord.WAITING).queue(null, ignored -> {
			});
		}
	}

	@Override
	public void accept(ReplyEvent event) {
		switch (event) {
			case ReplyEvent.AnswerStarted started -> started();
			case ReplyEvent.AnswerDelta delta -> {
				synchronized (streamed) {
					streamed.append(delta.text());
				}
			}
			case ReplyEvent.ToolUsed used -> {
				// a short line in the message being edited, before the answer goes on
				synchronized (streamed) {
					if (!streamed.isEmpty() && streamed.charAt(streamed.length() - 1) != '\n') {
						streamed.append('\n');
					}
					streamed.append("-# ").append(ToolSteps.line(used)).append('\n');
				}
			}
			case ReplyEvent.AnswerCompleted completed -> stop();
			case ReplyEvent.AnswerFailed failed -> stop();
			case ReplyEvent.Notice notice -> {
				// a turn has no notices
			}
		}
	}

	private void started() {
		if (waiting) {
			channel.removeReactionById(question, Discord.WAITING).queue(null, ignored -> {
			});
		}
		// in the background: the model starts at once; no permission to react here is
		// fine
		channel.addReactionById(question, Discord.WRITING).queue(null, ignored -> {
		});
		pump = Thread.ofVirtual().name("discord-answer-" + question).start(this::pump);
	}

	private void pump() {
		try {
			while (!finished.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
				String text;
				synchronized (streamed) {
					text = streamed.toString();
				}
				render(text);
			}
		}
		catch (InterruptedException interrupted) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException failure) {
			// the delivery of the finished answer repairs it
			log.debug("could not update a streamed answer: {}", failure.toString());
		}
	}

	/** The model is done: the pump stops, and the delivery shows the finished answer. */
	private void stop() {
		finished.countDown();
		if (pump != null) {
			try {
				pump.join(Duration.ofSeconds(30));
			}
			catch (InterruptedException interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void render(String text) {
		if (text.isBlank()) {
			return;
		}
		synchronized (shown) {
			List<String> chunks = MessageSplitter.split(text);
			for (int i = 0; i < chunks.size(); i++) {
				String chunk = chunks.get(i);
				if (i < refs.messages().size()) {
					if (!chunk.equals(shown.get(i))) {
						channel.editMessageById(refs.messages().get(i), chunk)
							.setAllowedMentions(Discord.NO_MENTIONS)
							.complete();
						shown.set(i, chunk);
					}
				}
				else {
					long id = DiscordRenderer.answerPart(channel, question, i, chunk).complete().getIdLong();
					refs = refs.with(id);
					shown.add(chunk);
					save.accept(refs);
				}
			}
		}
	}

}
