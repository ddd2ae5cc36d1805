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
 */
record SlackRefs(List<String> messages, String thread, int steps) {

	SlackRefs {
		messages = messages == null ? List.of() : List.copyOf(messages);
	}

	static SlackRefs none(String thread) {
		return new SlackRefs(List.of(), thread, 0);
	}

	SlackRefs with(String ts) {
		List<String> more = new ArrayList<>(messages);
		more.add(ts);
		return new SlackRefs(more, thread, steps);
	}

	SlackRefs inThread(String ts) {
		return new SlackRefs(messages, ts, steps);
	}

	SlackRefs step() {
		return new SlackRefs(messages, thread, steps + 1);
	}

}
