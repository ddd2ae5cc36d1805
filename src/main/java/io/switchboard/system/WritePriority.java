package io.switchboard.system;

import java.util.function.Supplier;

/**
 * Marks the writes someone is waiting on right now: a platform's webhook that must answer
 * 200 within its time limit, or a person on the web page. On SQLite, where writers take
 * turns, these go before background writes (see {@link WriterTurns}); on PostgreSQL,
 * where writers do not queue in the server, it changes nothing.
 */
public final class WritePriority {

	private static final ThreadLocal<Boolean> URGENT = new ThreadLocal<>();

	private WritePriority() {
	}

	/** Runs {@code work} with its writes ahead of the background's. */
	public static <T> T urgent(Supplier<T> work) {
		Boolean before = URGENT.get();
		URGENT.set(Boolean.TRUE);
		try {
			return work.get();
		}
		finally {
			if (before == null) {
				URGENT.remove();
			}
			else {
				URGENT.set(before);
			}
		}
	}

	static boolean isUrgent() {
		return Boolean.TRUE.equals(URGENT.get());
	}

}
