package io.switchboard.conversation;

import java.util.Locale;

/**
 * How a question stands, kept on the assistant message stored right behind it. A question
 * is stored the moment it arrives, with its answer {@link #PENDING}; the model's answer
 * makes it {@link #ANSWERED}; a model that fails makes it {@link #FAILED} and a question
 * that may not be answered {@link #REFUSED}, each with a reason the user can read. Only
 * answered questions go into later contexts.
 */
public enum AnswerState {

	PENDING, ANSWERED, FAILED, REFUSED;

	String dbValue() {
		return name().toLowerCase(Locale.ROOT);
	}

	static AnswerState fromDb(String value) {
		return value == null ? null : valueOf(value.toUpperCase(Locale.ROOT));
	}

}
