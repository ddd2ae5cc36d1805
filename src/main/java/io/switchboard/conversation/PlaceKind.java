package io.switchboard.conversation;

/** The kind of place a message was written in. */
public enum PlaceKind {

	/** A one-to-one chat with the bot. Sessions made here start private. */
	DIRECT,
	/** A group, room or channel with other people. Sessions made here start public. */
	GROUP,
	/** The web page. Sessions made here start private. */
	WEB,
	/** The OpenAI-compatible API. Sessions made here start private. */
	API;

	String dbValue() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	static PlaceKind fromDb(String value) {
		return valueOf(value.toUpperCase(java.util.Locale.ROOT));
	}

}
