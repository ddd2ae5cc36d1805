package io.switchboard.assistant;

import java.util.ArrayList;
import java.util.List;

import io.switchboard.conversation.MessagePart;

/**
 * The tool steps of an answer as short lines for the user, one per tool used, the same
 * wording on every platform: {@code 🔧 fetch_page: Example Domain …}.
 */
public final class ToolSteps {

	private ToolSteps() {
	}

	/** The line a platform shows while a tool runs or after it ran. */
	public static String line(ReplyEvent.ToolUsed used) {
		return line(used.tool(), used.summary(), used.error());
	}

	public static String line(String tool, String summary, boolean error) {
		String what = summary == null || summary.isBlank() ? "done" : ToolLoop.shortLine(summary);
		return (error ? "⚠️ " : "🔧 ") + tool + ": " + what;
	}

	/** One line per tool result stored with an answer, in order. */
	public static List<String> lines(List<MessagePart> parts) {
		List<String> lines = new ArrayList<>();
		for (MessagePart part : parts) {
			if (part instanceof MessagePart.ToolResult result) {
				lines.add(line(result.name(), result.text(), result.error()));
			}
		}
		return lines;
	}

	/** The stored tool results of an answer. */
	public static List<MessagePart.ToolResult> results(List<MessagePart> parts) {
		return parts.stream()
			.filter(MessagePart.ToolResult.class::isInstance)
			.map(MessagePart.ToolResult.class::cast)
			.toList();
	}

}
