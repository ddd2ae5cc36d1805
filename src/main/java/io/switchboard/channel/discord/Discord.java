package io.switchboard.channel.discord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.switchboard.assistant.Reply;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.PlatformUserId;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.entities.emoji.Emoji;
import net.dv8tion.jda.api.interactions.components.ActionRow;
import net.dv8tion.jda.api.interactions.components.buttons.Button;

/** What the Discord classes share: names, places, emojis and small renderings. */
final class Discord {

	static final String PLATFORM = "discord";

	/** The reaction while a question waits for its model's provider. */
	static final Emoji WAITING = Emoji.fromUnicode("⏳");

	/** The reaction while the model writes (✍🏻). */
	static final Emoji WRITING = Emoji.fromUnicode("✍🏻");

	/** The reaction when the answer is complete (👌). */
	static final Emoji DONE = Emoji.fromUnicode("👌");

	/** Mentions nobody: a model's answer must never ping @everyone or a role. */
	static final EnumSet<Message.MentionType> NO_MENTIONS = EnumSet.noneOf(Message.MentionType.class);

	/** Discord's longest {@code custom_id}. */
	static final int MAX_CUSTOM_ID = 100;

	/** Discord's longest button label. */
	static final int MAX_LABEL = 80;

	private Discord() {
	}

	static PlatformUserId identity(User user) {
		return new PlatformUserId(PLATFORM, user.getId());
	}

	static String displayName(User user, Member member) {
		return member != null ? member.getEffectiveName() : user.getEffectiveName();
	}

	/**
	 * Where a message was written: a server channel (or thread) is a group, where
	 * sessions start public; a DM is direct, where they start private. The channel id is
	 * kept either way, so replies to work started there (image jobs) find their way back.
	 */
	static Place place(MessageChannel channel, boolean fromGuild) {
		return new Place(PLATFORM, fromGuild ? PlaceKind.GROUP : PlaceKind.DIRECT, channel.getId(), null);
	}

	/** The channel id a place keeps (see {@link #place}); 0 when it has none. */
	static long channelId(Place place) {
		try {
			return place.space() == null ? 0 : Long.parseLong(place.space());
		}
		catch (NumberFormatException notAChannel) {
			return 0;
		}
	}

	/** A time as Discord shows it, in each reader's own time zone. */
	static String time(Instant instant, char style) {
		return instant == null ? "never" : "<t:" + instant.getEpochSecond() + ":" + style + ">";
	}

	static String abbreviate(String text, int max) {
		String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
		return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
	}

	static String quoteOrNone(String text) {
		return text == null || text.isBlank() ? "none" : "\"" + abbreviate(text, 300) + "\"";
	}

	/**
	 * A {@link Reply}'s actions as buttons: each sends its command again when pressed, as
	 * the presser. Actions whose command does not fit a {@code custom_id} are left out.
	 */
	static List<ActionRow> buttons(List<Reply.Action> actions) {
		List<Button> buttons = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		for (Reply.Action action : actions) {
			String id = CustomIds.command(action.command());
			// a message's custom ids must be unique; five rows of five is all it holds
			if (id == null || !ids.add(id) || buttons.size() == 25) {
				continue;
			}
			String label = abbreviate(action.label(), MAX_LABEL);
			buttons.add(switch (action.style()) {
				case PRIMARY -> Button.primary(id, label);
				case DANGER -> Button.danger(id, label);
				case NORMAL -> Button.secondary(id, label);
			});
		}
		return ActionRow.partitionOf(buttons);
	}

}
