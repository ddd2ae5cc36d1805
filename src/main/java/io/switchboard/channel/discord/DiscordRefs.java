package io.switchboard.channel.discord;

import java.util.ArrayList;
import java.util.List;

/**
 * What a Discord delivery posted, so a repeat edits it instead of posting again.
 *
 * @param messages the ids of the messages it occupies, in order
 * @param done whether the answer's ✍🏻 reaction was swapped for 👌 (done once)
 * @param spoken the message that carries the answer spoken aloud (its MP3 files), once
 * posted: a repeat never uploads them again; {@code null} until then
 */
record DiscordRefs(List<Long> messages, boolean done, Long spoken) {

	static final DiscordRefs NONE = new DiscordRefs(List.of(), false, null);

	DiscordRefs {
		messages = messages == null ? List.of() : List.copyOf(messages);
	}

	DiscordRefs with(long message) {
		List<Long> more = new ArrayList<>(messages);
		more.add(message);
		return new DiscordRefs(more, done, spoken);
	}

	DiscordRefs replace(int index, long message) {
		List<Long> changed = new ArrayList<>(messages);
		changed.set(index, message);
		return new DiscordRefs(changed, done, spoken);
	}

	DiscordRefs finished() {
		return new DiscordRefs(messages, true, spoken);
	}

	DiscordRefs spokenIn(long message) {
		return new DiscordRefs(messages, done, message);
	}

}
