package io.switchboard.conversation;

import java.util.Map;

import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the DynamoDB adapters of this module share: the keys of their items (laid out in
 * docs/dynamodb.md) and the atomic counters that number users and sessions.
 */
final class DynamoItems {

	/**
	 * The sort key of every item that is alone in its partition, and of a session's own
	 * item.
	 */
	static final String MAIN = "A";

	private DynamoItems() {
	}

	static String user(UserId id) {
		return "U#" + id.value();
	}

	static String identity(PlatformUserId identity) {
		return "I#" + identity.platform() + "#" + identity.id();
	}

	static String session(SessionId id) {
		return "S#" + id.value();
	}

	static String thread(Place place) {
		return "T#" + place.platform() + "#" + place.space() + "#" + place.thread();
	}

	static String owner(UserId owner) {
		return "O#" + owner.value();
	}

	static String current(SessionId session) {
		return "CUR#" + session.value();
	}

	/**
	 * A sort key that orders newest activity first when read backwards: the time and then
	 * the id, both zero-padded so that text order is number order.
	 */
	static String activity(long epochMillis, long id) {
		return String.format("%015d#%012d", epochMillis, id);
	}

	static String padded(long id) {
		return String.format("%012d", id);
	}

	/**
	 * The next number of a kind (users, sessions), by one atomic update of its counter:
	 * concurrent writers on any node never get the same one.
	 */
	static long nextId(DynamoTable table, String kind) {
		return table.nextId(kind);
	}

	/** A setting's value as an attribute; {@code null} means "remove it". */
	static AttributeValue value(Object value) {
		return switch (value) {
			case null -> null;
			case String text -> DynamoTable.s(text);
			case Boolean flag -> DynamoTable.bool(flag);
			case Number number -> DynamoTable.n(number.longValue());
			default -> throw new IllegalArgumentException("no attribute for a " + value.getClass());
		};
	}

}
