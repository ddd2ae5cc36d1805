package io.switchboard.channel.line;

import com.linecorp.bot.webhook.model.GroupSource;
import com.linecorp.bot.webhook.model.RoomSource;
import com.linecorp.bot.webhook.model.Source;
import com.linecorp.bot.webhook.model.UserSource;

import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlaceKind;
import io.switchboard.conversation.PlatformUserId;

/**
 * The chat an event came from and who wrote it.
 *
 * <p>
 * A group or room is one conversation everybody in it sees, so it is one session: its
 * place carries the group's id as the thread, which makes the core keep one public
 * session per group that all members continue (and a member's private one-to-one session
 * never answers in a group).
 *
 * @param userId the LINE user who wrote
 * @param chatId where answers are pushed: the user, group or room id
 * @param place the place for the core
 */
record LineChat(String userId, String chatId, Place place) {

	static final String PLATFORM = LineWebhookController.PLATFORM;

	/** The chat of an event's source, or {@code null} when LINE did not say who wrote. */
	static LineChat of(Source source) {
		return switch (source) {
			case UserSource user when user.userId() != null -> direct(user.userId());
			case GroupSource group when group.userId() != null && group.groupId() != null ->
				group(group.userId(), group.groupId());
			case RoomSource room when room.userId() != null && room.roomId() != null ->
				group(room.userId(), room.roomId());
			case null, default -> null;
		};
	}

	static LineChat direct(String userId) {
		return new LineChat(userId, userId, Place.direct(PLATFORM));
	}

	static LineChat group(String userId, String groupOrRoomId) {
		return new LineChat(userId, groupOrRoomId, new Place(PLATFORM, PlaceKind.GROUP, groupOrRoomId, groupOrRoomId));
	}

	/** The chat an image job was asked for in, to push its results there. */
	static LineChat of(PlatformUserId requester, Place place) {
		return place.kind() == PlaceKind.GROUP && place.space() != null ? group(requester.id(), place.space())
				: direct(requester.id());
	}

	boolean isDirect() {
		return place.kind() == PlaceKind.DIRECT;
	}

	PlatformUserId sender() {
		return new PlatformUserId(PLATFORM, userId);
	}

}
