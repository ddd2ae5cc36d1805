package io.switchboard.channel.slack;

import java.util.ArrayList;
import java.util.List;

/**
 * What a Slack delivery posted, so a repeat edits it instead of posting again.
 *
 * @param messages the ts of the messages it occupies, in order (an answer longer than one
 * message continues in more; an image job's first is its status message)
 * @param thread the thread they are in
 * @param steps steps of a result done so far (an image job's upload, then its buttons)
 * @param spoken the files of an answer's spoken pieces uploaded so far, in order: a
 * repeat uploads only those after them
 */
record SlackRefs(List<String> messages, String thread, int steps, List<String> spoken) {

	SlackRefs {
		messages = messages == null ? List.of() : List.copyOf(messages);
		spoken = spoken == null ? List.of() : List.copyOf(spoken);
	}

	static SlackRefs none(String thread) {
		return new SlackRefs(List.of(), thread, 0, List.of());
	}

	SlackRefs with(String ts) {
		List<String> more = new ArrayList<>(messages);
		more.add(ts);
		return new SlackRefs(more, thread, steps, spoken);
	}

	SlackRefs inThread(String ts) {
		return new SlackRefs(messages, ts, steps, spoken);
	}

	SlackRefs step() {
		return new SlackRefs(messages, thread, steps + 1, spoken);
	}

	SlackRefs spokenAs(String file) {
		List<String> more = new ArrayList<>(spoken);
		// Slack names every uploaded file; an answer without one still counts the piece
		more.add(file == null ? "" : file);
		return new SlackRefs(messages, thread, steps, more);
	}

}
