package io.switchboard.channel.discord;

import java.util.Optional;

/**
 * The {@code custom_id}s of the bot's buttons and selects. Discord sends them back when a
 * component is used; they carry what the handler needs (a session, a page, an image job
 * and action), never anything that grants a right: every handler checks the presser
 * again.
 */
final class CustomIds {

	/** A button that sends a text command, as the presser: {@code cmd:/session list}. */
	static final String COMMAND = "cmd:";

	/** The {@code /user} panel: {@code u:<what>[:<argument>]}. */
	static final String USER = "u:";

	/** The {@code /session} panel: {@code s:<what>:<session id>}. */
	static final String SESSION = "s:";

	/** An image job's button: {@code img:<job id>:<action code>}. */
	static final String IMAGE = "img:";

	private CustomIds() {
	}

	/**
	 * The id of a button that sends {@code command}, or {@code null} when it is too long.
	 */
	static String command(String command) {
		String id = COMMAND + command;
		return id.length() <= Discord.MAX_CUSTOM_ID ? id : null;
	}

	static String user(String what) {
		return USER + what;
	}

	static String user(String what, Object argument) {
		return USER + what + ":" + argument;
	}

	static String session(String what, long session) {
		return SESSION + what + ":" + session;
	}

	static String image(long job, String code) {
		return IMAGE + job + ":" + code;
	}

	/** A custom id taken apart: its kind, its verb and the rest. */
	record Parsed(String kind, String what, String argument) {

		Optional<Long> number() {
			try {
				return Optional.of(Long.parseLong(argument));
			}
			catch (NumberFormatException | NullPointerException notANumber) {
				return Optional.empty();
			}
		}

	}

	/**
	 * Splits {@code u:page:3} into {@code (u:, page, 3)}; the command of {@code cmd:}
	 * whole.
	 */
	static Parsed parse(String id) {
		if (id.startsWith(COMMAND)) {
			return new Parsed(COMMAND, id.substring(COMMAND.length()), null);
		}
		int colon = id.indexOf(':');
		if (colon < 0) {
			return new Parsed("", id, null);
		}
		String kind = id.substring(0, colon + 1);
		String rest = id.substring(colon + 1);
		int next = rest.lastIndexOf(':');
		return next < 0 ? new Parsed(kind, rest, null)
				: new Parsed(kind, rest.substring(0, next), rest.substring(next + 1));
	}

}
