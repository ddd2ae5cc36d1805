package io.switchboard.channel.line;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.linecorp.bot.messaging.model.Message;
import com.linecorp.bot.messaging.model.PostbackAction;
import com.linecorp.bot.messaging.model.QuickReply;
import com.linecorp.bot.messaging.model.QuickReplyItem;
import com.linecorp.bot.messaging.model.TextMessage;
import org.commonmark.node.Code;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.text.LineBreakRendering;
import org.commonmark.renderer.text.TextContentRenderer;

import io.switchboard.assistant.Reply;

/**
 * Turns replies into LINE messages: Markdown into readable plain text (LINE shows no
 * Markdown), long texts split at LINE's limit, and buttons as quick replies whose
 * postback data carries the command.
 */
final class LineMessages {

	/** LINE's longest text message, in characters. */
	static final int MAX_TEXT = 5000;

	/** LINE shows at most 13 quick reply buttons. */
	static final int MAX_QUICK_REPLIES = 13;

	/** LINE's longest quick reply label. */
	static final int MAX_LABEL = 20;

	/** LINE's longest postback data and display text. */
	static final int MAX_DATA = 300;

	private static final Parser MARKDOWN = Parser.builder().build();

	private static final TextContentRenderer PLAIN = TextContentRenderer.builder()
		.lineBreakRendering(LineBreakRendering.SEPARATE_BLOCKS)
		// inline code as it is: commands read better as /new than as "/new"
		.nodeRendererFactory(context -> new NodeRenderer() {
			@Override
			public Set<Class<? extends Node>> getNodeTypes() {
				return Set.of(Code.class);
			}

			@Override
			public void render(Node node) {
				context.getWriter().write(((Code) node).getLiteral());
			}
		})
		.build();

	private LineMessages() {
	}

	/** Markdown as plain text a person reads easily in a chat bubble. */
	static String plain(String markdown) {
		if (markdown == null || markdown.isBlank()) {
			return "";
		}
		return PLAIN.render(MARKDOWN.parse(markdown)).strip();
	}

	/**
	 * Text messages for these texts, each split to LINE's limit, the last one carrying
	 * the quick replies.
	 */
	static List<Message> texts(List<String> texts, List<Reply.Action> actions) {
		List<String> pieces = new ArrayList<>();
		for (String text : texts) {
			pieces.addAll(split(text, MAX_TEXT));
		}
		List<Message> messages = new ArrayList<>();
		for (int i = 0; i < pieces.size(); i++) {
			QuickReply quickReply = i == pieces.size() - 1 ? quickReply(actions) : null;
			messages.add(new TextMessage(quickReply, null, pieces.get(i), null, null));
		}
		return messages;
	}

	/**
	 * Splits a text into pieces of at most {@code max} characters, preferring paragraph,
	 * then line, then word boundaries, never inside a surrogate pair.
	 */
	static List<String> split(String text, int max) {
		List<String> pieces = new ArrayList<>();
		String rest = text == null ? "" : text.strip();
		while (rest.length() > max) {
			int cut = lastBoundary(rest, max, "\n\n");
			if (cut <= max / 2) {
				cut = Math.max(cut, lastBoundary(rest, max, "\n"));
			}
			if (cut <= max / 2) {
				cut = Math.max(cut, lastBoundary(rest, max, " "));
			}
			if (cut <= 0) {
				cut = max;
				if (Character.isHighSurrogate(rest.charAt(cut - 1))) {
					cut--;
				}
			}
			pieces.add(rest.substring(0, cut).strip());
			rest = rest.substring(cut).strip();
		}
		if (!rest.isEmpty()) {
			pieces.add(rest);
		}
		return pieces;
	}

	private static int lastBoundary(String text, int max, String separator) {
		int at = text.lastIndexOf(separator, max - separator.length());
		return at <= 0 ? -1 : at;
	}

	/**
	 * Buttons as quick replies (at most 13, each command once): pressing one posts its
	 * command back to the webhook as postback data.
	 */
	static QuickReply quickReply(List<Reply.Action> actions) {
		Map<String, Reply.Action> unique = new LinkedHashMap<>();
		for (Reply.Action action : actions) {
			if (action.command().length() <= MAX_DATA) {
				unique.putIfAbsent(action.command(), action);
			}
		}
		if (unique.isEmpty()) {
			return null;
		}
		List<QuickReplyItem> items = unique.values()
			.stream()
			.limit(MAX_QUICK_REPLIES)
			.map(action -> new QuickReplyItem(null, postback(action.label(), action.command()), "action"))
			.toList();
		return new QuickReply(items);
	}

	/** A postback button that shows its label in the chat as if the user had said it. */
	static PostbackAction postback(String label, String data) {
		String shown = truncate(label, MAX_LABEL);
		return new PostbackAction(shown, data, truncate(label, MAX_DATA), null, null, null);
	}

	static String truncate(String text, int max) {
		if (text.length() <= max) {
			return text;
		}
		int cut = max - 1;
		if (Character.isHighSurrogate(text.charAt(cut - 1))) {
			cut--;
		}
		return text.substring(0, cut) + "…";
	}

}
