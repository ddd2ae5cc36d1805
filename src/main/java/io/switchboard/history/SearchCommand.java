package io.switchboard.history;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.switchboard.assistant.CommandExtension;
import io.switchboard.assistant.InboundMessage;
import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ReplySink;
import io.switchboard.conversation.User;

import org.springframework.stereotype.Component;

/**
 * {@code /search <words>} on every platform: the best matches across all of the sender's
 * own conversations, wherever they were held, each with its session and a button to make
 * that session the current one.
 */
@Component
class SearchCommand implements CommandExtension {

	static final int SHOWN = 8;

	private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

	private final MessageSearch search;

	SearchCommand(MessageSearch search) {
		this.search = search;
	}

	@Override
	public String name() {
		return "search";
	}

	@Override
	public String help() {
		return "/search <words> — finds your earlier messages and answers on every platform";
	}

	@Override
	public void handle(User user, InboundMessage message, String arguments, ReplySink sink) {
		List<SearchHit> hits;
		try {
			hits = search.search(user.id(), arguments, SHOWN + 1, 0);
		}
		catch (MessageSearch.BadSearch bad) {
			sink.accept(new ReplyEvent.Notice(Reply.of(bad.getMessage())));
			return;
		}
		if (hits.isEmpty()) {
			sink.accept(new ReplyEvent.Notice(Reply
				.of("Nothing found for **" + arguments.strip().replace("*", "") + "** in your conversations.")));
			return;
		}
		StringBuilder text = new StringBuilder("**Found in your conversations** (best first):\n");
		List<Reply.Action> open = new java.util.ArrayList<>();
		for (SearchHit hit : hits.subList(0, Math.min(SHOWN, hits.size()))) {
			text.append("\n• **#")
				.append(hit.session().value())
				.append(' ')
				.append(hit.sessionTitle().replace("*", ""))
				.append("** (")
				.append(hit.platform())
				.append(", ")
				.append(DAY.format(hit.at()))
				.append(", ")
				.append("user".equals(hit.role()) ? "you" : "answer")
				.append("): ")
				.append(hit.snippetMarkdown());
			String use = "/session use #" + hit.session().value();
			if (open.size() < 3 && open.stream().noneMatch(action -> action.command().equals(use))) {
				open.add(Reply.Action.of("Open #" + hit.session().value(), use));
			}
		}
		if (hits.size() > SHOWN) {
			text.append("\n\nMore matches: add words to narrow the search.");
		}
		sink.accept(new ReplyEvent.Notice(new Reply(text.toString(), open)));
	}

}
