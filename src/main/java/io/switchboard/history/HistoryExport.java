package io.switchboard.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.conversation.AnswerRecord;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Session;
import io.switchboard.conversation.SessionId;
import io.switchboard.conversation.StoredMessage;
import io.switchboard.conversation.UserId;

import org.springframework.stereotype.Service;

/**
 * A person's conversations written out to keep: one session (any they may read) or all of
 * their own, as Markdown to read or as JSONL (one JSON object per message) for programs.
 * Messages are read a session at a time in their order, and written as they are read.
 */
@Service
public class HistoryExport {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private final Conversations conversations;

	private final ObjectMapper json;

	HistoryExport(Conversations conversations, ObjectMapper json) {
		this.conversations = conversations;
		this.json = json;
	}

	/** How an export is written. */
	public enum Format {

		MARKDOWN("md", "text/markdown; charset=utf-8"), JSONL("jsonl", "application/x-ndjson; charset=utf-8");

		private final String extension;

		private final String contentType;

		Format(String extension, String contentType) {
			this.extension = extension;
			this.contentType = contentType;
		}

		public String extension() {
			return extension;
		}

		public String contentType() {
			return contentType;
		}

		/** The format named by a file extension or word: md, markdown, jsonl, json. */
		public static Format named(String name) {
			return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
				case "md", "markdown" -> MARKDOWN;
				case "jsonl", "json", "ndjson" -> JSONL;
				default -> throw new IllegalArgumentException(
						"Exports are Markdown (md) or JSONL (jsonl), not \"" + name + "\".");
			};
		}

	}

	/**
	 * Writes one session the viewer may read.
	 * @throws io.switchboard.conversation.ConversationException.NotFound when there is
	 * none they may read
	 */
	public void session(UserId viewer, SessionId id, Format format, Writer out) {
		Session session = conversations.session(viewer, id);
		write(List.of(session), format, out);
	}

	/**
	 * Checks that the viewer may read a session, before a download starts.
	 * @throws io.switchboard.conversation.ConversationException.NotFound when not
	 */
	public void check(UserId viewer, SessionId id) {
		conversations.session(viewer, id);
	}

	/**
	 * The download's file name: {@code switchboard-session-12.md},
	 * {@code switchboard-all.jsonl}.
	 */
	public static String fileName(SessionId session, Format format) {
		return "switchboard-" + (session == null ? "all" : "session-" + session.value()) + "." + format.extension();
	}

	/** Writes every session the owner has, oldest first. */
	public void everything(UserId owner, Format format, Writer out) {
		List<Session> own = new ArrayList<>();
		int page = 0;
		for (;;) {
			List<Session> sessions = conversations.ownAndPublicSessions(owner, 200, page * 200);
			sessions.stream().filter(session -> session.isOwnedBy(owner)).forEach(own::add);
			if (sessions.size() < 200) {
				break;
			}
			page++;
		}
		write(own.reversed(), format, out);
	}

	private void write(List<Session> sessions, Format format, Writer out) {
		try {
			for (Session session : sessions) {
				if (format == Format.MARKDOWN) {
					out.write("# " + session.title().replace('\n', ' ') + "\n\n");
					out.write("_Session #" + session.id().value() + " · " + session.origin().platform() + " · "
							+ session.model() + " · started " + TIME.format(session.createdAt()) + "_\n\n");
				}
				int topic = 1;
				for (Row row : rows(session.id())) {
					if (format == Format.MARKDOWN) {
						if (row.topic() != topic) {
							out.write("---\n\n_New topic_\n\n");
							topic = row.topic();
						}
						markdown(row, out);
					}
					else {
						out.write(json.writeValueAsString(jsonl(session, row)));
						out.write('\n');
					}
				}
			}
			out.flush();
		}
		catch (IOException failed) {
			throw new UncheckedIOException(failed);
		}
	}

	private void markdown(Row row, Writer out) throws IOException {
		String who = "user".equals(row.role()) ? "You"
				: "Assistant" + (row.model() == null ? "" : " (" + row.model() + ")");
		out.write("**" + who + "** · " + TIME.format(row.at()) + "\n\n");
		for (String image : row.images()) {
			out.write("_[image " + image.substring(0, Math.min(12, image.length())) + "…]_\n\n");
		}
		if (!row.text().isBlank()) {
			out.write(row.text().strip() + "\n\n");
		}
		else if (row.note() != null) {
			out.write("_" + row.note() + "_\n\n");
		}
	}

	private Map<String, Object> jsonl(Session session, Row row) {
		Map<String, Object> line = new LinkedHashMap<>();
		line.put("session_id", session.id().value());
		line.put("session_title", session.title());
		line.put("platform", session.origin().platform());
		line.put("message_id", row.id());
		line.put("topic", row.topic());
		line.put("seq", row.seq());
		line.put("role", row.role());
		line.put("text", row.text());
		line.put("images", row.images());
		line.put("model", row.model());
		line.put("tokens_in", row.tokensIn());
		line.put("tokens_out", row.tokensOut());
		line.put("state", row.state());
		line.put("note", row.note());
		line.put("created_at", row.at().toString());
		return line;
	}

	private record Row(long id, int topic, int seq, String role, String text, List<String> images, String model,
			Integer tokensIn, Integer tokensOut, String state, String note, Instant at) {
	}

	/** Messages a session's export reads at a time. */
	private static final int PAGE = 500;

	/** A session's messages in order, read page by page through the storage port. */
	private List<Row> rows(SessionId session) {
		List<Row> rows = new ArrayList<>();
		int topic = 0;
		int seq = 0;
		for (;;) {
			List<StoredMessage> page = conversations.messagesInOrder(session, topic, seq, PAGE);
			for (StoredMessage message : page) {
				List<String> texts = new ArrayList<>();
				List<String> images = new ArrayList<>();
				for (MessagePart part : message.parts()) {
					switch (part) {
						case MessagePart.Text text -> texts.add(text.text());
						case MessagePart.Image image -> images.add(image.sha256());
						default -> {
							// tool calls and results are not part of what was said
						}
					}
				}
				AnswerRecord answer = message.answer();
				rows.add(new Row(message.id(), message.topic(), message.seq(),
						message.role().name().toLowerCase(Locale.ROOT), String.join("\n", texts), images,
						answer == null ? null : answer.model(), answer == null ? null : answer.tokensIn(),
						answer == null ? null : answer.tokensOut(),
						message.state() == null ? null : message.state().name().toLowerCase(Locale.ROOT),
						message.note(), message.createdAt()));
			}
			if (page.size() < PAGE) {
				return rows;
			}
			topic = page.getLast().topic();
			seq = page.getLast().seq();
		}
	}

}
