package io.switchboard.usage;

import java.util.Locale;

/** What a model call in the ledger was for. */
public enum UsagePurpose {

	/** An answer to a user's message (or an API call, a comic's story). */
	CHAT,
	/** A summary of a conversation's older turns, written when it was compacted. */
	SUMMARY;

	String dbValue() {
		return name().toLowerCase(Locale.ROOT);
	}

	static UsagePurpose fromDb(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}

}
