package io.switchboard.history;

import java.util.Optional;

import io.switchboard.assistant.CommandExtension;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ReplySink;
import io.switchboard.conversation.ConversationException;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.SessionId;
import io.switchboard.conversation.User;

import org.springframework.stereotype.Component;

/**
 * {@code /export [#id | all]} on every platform: download links (valid a day, no sign-in
 * needed) for a session, by default the current one, and for everything of the sender's,
 * as Markdown and as JSONL.
 */
@Component
class ExportCommand implements CommandExtension {

	private final Conversations conversations;

	private final ExportLinks links;

	ExportCommand(Conversations conversations, ExportLinks links) {
		this.conversations = conversations;
		this.links = links;
	}

	@Override
	public String name() {
		return "export";
	}

	@Override
	public String help() {
		return "/export [#id | all] — download a session or all your conversations (Markdown, JSONL)";
	}

	@Override
	public void handle(User user, InboundMessage message, String arguments, ReplySink sink) {
		String argument = arguments.strip();
		Optional<Session> session;
		try {
			session = switch (argument) {
				case "all" -> Optional.empty();
				case "" -> message.session() != null ? Optional.of(conversations.session(user.id(), message.session()))
						: conversations.currentSession(user, message.place());
				default -> Optional.of(conversations.session(user.id(), new SessionId(id(argument))));
			};
		}
		catch (ConversationException.NotFound | IllegalArgumentException refused) {
			sink.accept(new ReplyEvent.Notice(
					Reply.of(refused.getMessage() + " Use `/export`, `/export #id` or `/export all`.")));
			return;
		}
		StringBuilder text = new StringBuilder(
				"**Your export** (the links work for 24 hours; keep them to yourself):\n");
		session.ifPresent(chosen -> {
			ExportLinks.Scope scope = new ExportLinks.Scope(user.id(), chosen.id());
			text.append("\n• Session #")
				.append(chosen.id().value())
				.append(" “")
				.append(chosen.title().replace("*", ""))
				.append("”: [Markdown](")
				.append(links.link(scope, HistoryExport.Format.MARKDOWN))
				.append(") · [JSONL](")
				.append(links.link(scope, HistoryExport.Format.JSONL))
				.append(")");
		});
		ExportLinks.Scope all = new ExportLinks.Scope(user.id(), null);
		text.append("\n• Everything of yours: [Markdown](")
			.append(links.link(all, HistoryExport.Format.MARKDOWN))
			.append(") · [JSONL](")
			.append(links.link(all, HistoryExport.Format.JSONL))
			.append(")");
		sink.accept(new ReplyEvent.Notice(Reply.of(text.toString())));
	}

	private static long id(String argument) {
		String digits = argument.startsWith("#") ? argument.substring(1) : argument;
		if (!digits.matches("\\d{1,18}")) {
			throw new IllegalArgumentException("\"" + argument + "\" is not a session number.");
		}
		return Long.parseLong(digits);
	}

}
