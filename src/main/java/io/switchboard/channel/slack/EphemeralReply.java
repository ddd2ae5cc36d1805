package io.switchboard.channel.slack;

import java.util.List;

import com.slack.api.model.block.LayoutBlock;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ReplySink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a slash command or a button on an ephemeral message through its
 * {@code response_url}: visible only to the person who asked, wherever they asked.
 */
final class EphemeralReply implements ReplySink {

	private static final Logger log = LoggerFactory.getLogger(EphemeralReply.class);

	private final SlackApi api;

	private final String responseUrl;

	EphemeralReply(SlackApi api, String responseUrl) {
		this.api = api;
		this.responseUrl = responseUrl;
	}

	@Override
	public void accept(ReplyEvent event) {
		switch (event) {
			case ReplyEvent.Notice notice -> {
				String text = SlackMarkdown.toMrkdwn(notice.reply().text());
				send(text, SlackBlocks.reply(text, notice.reply().actions()));
			}
			case ReplyEvent.AnswerCompleted completed -> send(SlackMarkdown.toMrkdwn(completed.text()), null);
			case ReplyEvent.AnswerFailed failed -> send(":warning: " + SlackMarkdown.escape(failed.message()), null);
			case ReplyEvent.AnswerStarted started -> {
			}
			case ReplyEvent.AnswerDelta delta -> {
			}
		}
	}

	private void send(String text, List<LayoutBlock> blocks) {
		for (String part : SlackMarkdown.split(text, ThreadReply.MESSAGE_MAX)) {
			try {
				api.respond(responseUrl, part, blocks != null && part.equals(text) ? blocks : null);
			}
			catch (SlackApi.Failed failed) {
				log.warn("could not answer through a response_url: {}", failed.getMessage());
				return;
			}
		}
	}

}
