package io.switchboard.conversation;

/**
 * Where a message was written.
 *
 * @param platform e.g. {@code line}, {@code discord}, {@code slack}, {@code web}
 * @param kind one-to-one, group, web or API
 * @param space the group, room or channel id, or {@code null}
 * @param thread the thread id when the platform has threads (one thread is one session),
 * or {@code null}
 */
public record Place(String platform, PlaceKind kind, String space, String thread) {

	public Place {
		if (platform == null || platform.isBlank() || kind == null) {
			throw new IllegalArgumentException("a place needs a platform and a kind");
		}
	}

	public static Place web() {
		return new Place("web", PlaceKind.WEB, null, null);
	}

	public static Place direct(String platform) {
		return new Place(platform, PlaceKind.DIRECT, null, null);
	}

	public static Place group(String platform, String space) {
		return new Place(platform, PlaceKind.GROUP, space, null);
	}

	/** A copy of this place inside a thread. */
	public Place inThread(String threadId) {
		return new Place(platform, kind, space, threadId);
	}

	public boolean isThread() {
		return thread != null;
	}

	/**
	 * The rule: a session created in a group or channel starts public, anywhere else
	 * private.
	 */
	public boolean startsPublic() {
		return kind == PlaceKind.GROUP;
	}

}
