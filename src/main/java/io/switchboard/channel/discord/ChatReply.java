package io.switchboard.channel.discord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ReplySink;
import io.switchboard.llm.FinishReason;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.interactions.components.ActionRow;
import net.dv8tion.jda.api.requests.restaction.MessageCreateAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders the assistant's events for one Discord message: the question gets ✍🏻 while the
 * model writes and 👌 when it is done; the answer is a reply edited at a steady pace as
 * it grows (a pump on its own virtual thread edits at most once per interval, whatever
 * the model's speed, which keeps within Discord's edit rate limit), continued in further
 * messages past 2,000 characters without cutting code blocks. Notices are replies with
 * their actions as buttons.
 */
final class ChatReply implements ReplySink {

	private static final Logger log = LoggerFactory.getLogger(ChatReply.class);

	private final Message question;

	private final Duration interval;

	private final AnswerLog answers;

	private final StringBuilder streamed = new StringBuilder();

	/** The messages showing the answer so far, and what each shows; guarded by itself. */
	private final List<Message> messages = new ArrayList<>();

	private final List<String> shown = new ArrayList<>();

	private final CountDownLatch finished = new CountDownLatch(1);

	private Thread pump;

	private boolean demo;

	/** The ✍🏻 reaction on its way: taken off only after it arrived. */
	private java.util.concurrent.CompletableFuture<Void> writing;

	ChatReply(Message question, Duration interval, AnswerLog answers) {
		this.question = question;
		this.interval = interval;
		this.answers = answers;
	}

	@Override
	public void accept(ReplyEvent event) {
		switch (event) {
			case ReplyEvent.Notice notice -> notice(notice.reply());
			case ReplyEvent.AnswerStarted started -> started(started);
			case ReplyEvent.AnswerDelta delta -> {
				synchronized (streamed) {
					streamed.append(delta.text());
				}
			}
			case ReplyEvent.AnswerCompleted completed -> completed(completed);
			case ReplyEvent.AnswerFailed failed -> failed(failed);
		}
	}

	private void notice(Reply reply) {
		List<String> chunks = MessageSplitter.split(reply.text());
		List<ActionRow> rows = Discord.buttons(reply.actions());
		for (int i = 0; i < chunks.size(); i++) {
			MessageCreateAction send = create(chunks.get(i), i == 0);
			if (i == chunks.size() - 1 && !rows.isEmpty()) {
				send.setComponents(rows);
			}
			send.complete();
		}
	}

	private void started(ReplyEvent.AnswerStarted started) {
		demo = started.demo();
		try {
			// sent in the background: the model starts at once
			writing = question.addReaction(Discord.WRITING).submit();
		}
		catch (RuntimeException notAllowed) {
			// no permission to react here: the answer still comes
			log.debug("cannot react to message {}: {}", question.getId(), notAllowed.toString());
		}
		pump = Thread.ofVirtual().name("discord-answer-" + question.getId()).start(this::pump);
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
			// the final render after the answer tries again
			log.warn("could not update a streamed answer: {}", failure.toString());
		}
	}

	private void completed(ReplyEvent.AnswerCompleted completed) {
		stopPump();
		StringBuilder text = new StringBuilder(
				completed.text().isBlank() ? "*(The model returned an empty answer.)*" : completed.text());
		if (completed.finishReason() == FinishReason.LENGTH) {
			text.append("\n\n-# The answer was cut off at its length limit.");
		}
		if (demo || completed.demo()) {
			text.append("\n\n-# Answered by the demo model, not a real AI.");
		}
		List<Message> sent = render(text.toString());
		for (Message message : sent) {
			answers.record(message.getIdLong(), completed.exchange().session().id());
		}
		swapReaction(true);
	}

	private void failed(ReplyEvent.AnswerFailed failed) {
		stopPump();
		String sofar;
		synchronized (streamed) {
			sofar = streamed.toString();
		}
		render(sofar.isBlank() ? "⚠️ " + failed.message() : sofar + "\n\n⚠️ " + failed.message());
		swapReaction(false);
	}

	private void stopPump() {
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

	/**
	 * Shows {@code text}: edits the messages whose part changed and sends the parts that
	 * have no message yet.
	 * @return the messages that show it
	 */
	private List<Message> render(String text) {
		synchronized (messages) {
			if (text.isBlank()) {
				return List.copyOf(messages);
			}
			List<String> chunks = MessageSplitter.split(text);
			for (int i = 0; i < chunks.size(); i++) {
				String chunk = chunks.get(i);
				if (i < messages.size()) {
					if (!chunk.equals(shown.get(i))) {
						messages.set(i,
								messages.get(i).editMessage(chunk).setAllowedMentions(Discord.NO_MENTIONS).complete());
						shown.set(i, chunk);
					}
				}
				else {
					messages.add(create(chunk, i == 0).complete());
					shown.add(chunk);
				}
			}
			return List.copyOf(messages);
		}
	}

	private MessageCreateAction create(String text, boolean first) {
		MessageCreateAction send = first ? question.reply(text).mentionRepliedUser(false)
				: question.getChannel().sendMessage(text);
		return send.setAllowedMentions(Discord.NO_MENTIONS);
	}

	/**
	 * Takes ✍🏻 off and, for a complete answer, puts 👌 on: in that order, so both show
	 * right.
	 */
	private void swapReaction(boolean done) {
		try {
			if (writing != null) {
				writing.exceptionally(failed -> null).join();
				question.removeReaction(Discord.WRITING).complete();
			}
			if (done) {
				question.addReaction(Discord.DONE).complete();
			}
		}
		catch (RuntimeException failure) {
			// the question may be gone, or reactions not allowed here: the answer stands
			log.debug("could not update the reactions of message {}: {}", question.getId(), failure.toString());
		}
	}

}
