package io.switchboard.channel.line;

import java.util.ArrayList;
import java.util.List;

import io.switchboard.assistant.Reply;
import io.switchboard.assistant.ReplyEvent;
import io.switchboard.assistant.ReplySink;
import io.switchboard.llm.FinishReason;

/**
 * Gathers what the assistant says about one message: LINE shows no streaming, so the
 * answer is sent whole. The loading animation runs meanwhile.
 */
final class LineReplyCollector implements ReplySink {

	private final Runnable onAnswerStarted;

	private final List<String> texts = new ArrayList<>();

	private final List<Reply.Action> actions = new ArrayList<>();

	LineReplyCollector(Runnable onAnswerStarted) {
		this.onAnswerStarted = onAnswerStarted;
	}

	@Override
	public void accept(ReplyEvent event) {
		switch (event) {
			case ReplyEvent.Notice notice -> {
				texts.add(LineMessages.plain(notice.reply().text()));
				actions.addAll(notice.reply().actions());
			}
			case ReplyEvent.AnswerStarted started -> onAnswerStarted.run();
			case ReplyEvent.AnswerDelta delta -> {
				// the whole text comes with AnswerCompleted
			}
			case ReplyEvent.AnswerCompleted completed -> texts.add(answer(completed));
			case ReplyEvent.AnswerFailed failed -> texts.add("⚠️ " + LineMessages.plain(failed.message()));
		}
	}

	private static String answer(ReplyEvent.AnswerCompleted completed) {
		StringBuilder text = new StringBuilder(LineMessages.plain(completed.text()));
		if (completed.finishReason() == FinishReason.LENGTH) {
			text.append("\n\n(The answer was cut off at its length limit: /user maxtokens sets it.)");
		}
		if (completed.demo()) {
			text.append("\n\n— demo model: not a real AI answer");
		}
		return text.toString();
	}

	List<String> texts() {
		return texts.stream().filter(text -> !text.isBlank()).toList();
	}

	List<Reply.Action> actions() {
		return List.copyOf(actions);
	}

}
