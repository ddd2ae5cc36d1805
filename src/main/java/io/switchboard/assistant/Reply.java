package io.switchboard.assistant;

import java.util.List;

/**
 * A complete answer that is not a model's: a command's result, a notice, a refusal. The
 * text is light Markdown (bold, code); channels render the actions as their native
 * buttons.
 *
 * @param imageJob the image job this reply is about (one just started, or one asked for),
 * or {@code null}: a channel that has no standing line to the user for the job's updates
 * (the web chat) follows it from here; the others ignore it
 */
public record Reply(String text, List<Action> actions, Long imageJob) {

	public Reply {
		actions = List.copyOf(actions);
	}

	public Reply(String text, List<Action> actions) {
		this(text, actions, null);
	}

	/** This reply, about the given image job. */
	public Reply withImageJob(long id) {
		return new Reply(text, actions, id);
	}

	public static Reply of(String text) {
		return new Reply(text, List.of());
	}

	public static Reply of(String text, Action... actions) {
		return new Reply(text, List.of(actions));
	}

	/**
	 * A button: pressing it sends {@code command} as if the user had typed it.
	 *
	 * @param style how prominent it should look
	 */
	public record Action(String label, String command, Style style) {

		public static Action of(String label, String command) {
			return new Action(label, command, Style.NORMAL);
		}

		public static Action danger(String label, String command) {
			return new Action(label, command, Style.DANGER);
		}

		public static Action primary(String label, String command) {
			return new Action(label, command, Style.PRIMARY);
		}

	}

	public enum Style {

		NORMAL, PRIMARY, DANGER

	}

}
