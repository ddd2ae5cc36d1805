package io.switchboard.channel.discord;

import java.util.List;

import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ReplySink;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.components.ActionRow;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;

/**
 * Renders the assistant's events as the answer to a deferred interaction: the first part
 * replaces the "thinking…" response, the rest are follow-ups, all as private (ephemeral)
 * as the deferral was. Used for buttons that send a text command.
 */
final class InteractionReply implements ReplySink {

	private final InteractionHook hook;

	private final StringBuilder answer = new StringBuilder();

	private boolean first = true;

	InteractionReply(InteractionHook hook) {
		this.hook = hook;
	}

	@Override
	public void accept(ReplyEvent event) {
		switch (event) {
			case ReplyEvent.Notice notice -> send(notice.reply().text(), Discord.buttons(notice.reply().actions()));
			case ReplyEvent.AnswerStarted started -> {
			}
			case ReplyEvent.AnswerDelta delta -> answer.append(delta.text());
			case ReplyEvent.AnswerCompleted completed -> send(completed.text(), List.of());
			case ReplyEvent.AnswerFailed failed -> send("⚠️ " + failed.message(), List.of());
		}
	}

	/** Ends the "thinking…" response when nothing else did. */
	void finish() {
		if (first) {
			send("Done.", List.of());
		}
	}

	/** Sends text (split as needed), with the components under its last part. */
	void send(String text, List<ActionRow> rows) {
		List<String> chunks = MessageSplitter.split(text);
		for (int i = 0; i < chunks.size(); i++) {
			List<ActionRow> components = i == chunks.size() - 1 ? rows : List.of();
			if (first) {
				hook.editOriginal(new MessageEditBuilder().setContent(chunks.get(i))
					.setComponents(components)
					.setAllowedMentions(Discord.NO_MENTIONS)
					.build()).complete();
				first = false;
			}
			else {
				hook.sendMessage(chunks.get(i))
					.setEphemeral(true)
					.setComponents(components)
					.setAllowedMentions(Discord.NO_MENTIONS)
					.complete();
			}
		}
	}

}
