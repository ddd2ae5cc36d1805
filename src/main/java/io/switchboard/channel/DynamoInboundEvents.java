package io.switchboard.channel;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.switchboard.storage.DynamoTable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Repository;

import static io.switchboard.storage.DynamoTable.key;
import static io.switchboard.storage.DynamoTable.n;
import static io.switchboard.storage.DynamoTable.number;
import static io.switchboard.storage.DynamoTable.s;
import static io.switchboard.storage.DynamoTable.string;

/**
 * Event keys in DynamoDB, one item {@code E#platform#key} each, taken in steps: a
 * conditional put claims the key for one intake ({@code state = taking}, with a short
 * lease and a token of its own), the id of the turn the intake makes is noted on it just
 * before the turn is written, and it is marked {@code taken} after everything else. A
 * second delivery of the event meanwhile waits for the first to finish and then is a
 * duplicate. One that comes after the first intake died (its lease ran out) finds the
 * event in if its turn was written (recovery answers that turn), and otherwise takes the
 * key over and does the intake again. The item expires by DynamoDB's time to live after
 * {@code switchboard.channel.keep}.
 */
@Repository
@ConditionalOnProperty(name = "switchboard.storage.type", havingValue = "dynamodb")
class DynamoInboundEvents implements InboundEvents {

	private static final Duration POLL = Duration.ofMillis(50);

	private static final String TAKING = "taking";

	private static final String TAKEN = "taken";

	private final DynamoTable table;

	private final DynamoPipelineTransactions units;

	private final ChannelProperties properties;

	/**
	 * How long a claim holds without its intake finishing: a turn's lease, far longer
	 * than an intake's writes take, short enough that the platform's redelivery after a
	 * crash finds it run out (or waits it out).
	 */
	private final Duration lease;

	DynamoInboundEvents(DynamoTable table, DynamoPipelineTransactions units, ChannelProperties properties) {
		this.table = table;
		this.units = units;
		this.properties = properties;
		this.lease = properties.turnLease();
	}

	@Override
	public boolean record(String platform, String key, long now) {
		String token = UUID.randomUUID().toString();
		Map<String, AttributeValue> claimKey = key(item(platform, key), "A");
		while (true) {
			long at = System.currentTimeMillis();
			Map<String, AttributeValue> claim = new HashMap<>(claimKey);
			claim.put("state", s(TAKING));
			claim.put("token", s(token));
			claim.put("until", n(at + lease.toMillis()));
			claim.put("received_at", n(now));
			claim.put("expires_at", n((now + properties.keep().toMillis()) / 1000));
			if (table.putIf(PutItemRequest.builder().item(claim).conditionExpression("attribute_not_exists(pk)"))) {
				break;
			}
			Map<String, AttributeValue> found = table.get(claimKey);
			if (found.isEmpty()) {
				continue; // forgotten a moment ago
			}
			if (TAKEN.equals(string(found, "state"))) {
				return false;
			}
			long until = number(found, "until");
			if (until >= at) {
				// another intake holds it: it finishes (a duplicate for us), or its lease
				// runs out (it died) and we look again
				sleep(Math.max(1, Math.min(POLL.toMillis(), until - at + 1)));
				continue;
			}
			String theirs = string(found, "token");
			Long turn = number(found, "turn");
			if (turn != null && !table.get(key(DynamoTurnStore.item(turn), "A")).isEmpty()) {
				// the intake that died got as far as its turn, which recovery answers:
				// the event is in
				markTaken(claimKey, theirs);
				return false;
			}
			// it died before its turn: take the key over and do the intake again
			if (table.updateIf(UpdateItemRequest.builder()
				.key(claimKey)
				.updateExpression("SET #token = :mine, #until = :until REMOVE turn")
				.conditionExpression("#token = :theirs AND #state = :taking")
				.expressionAttributeNames(Map.of("#state", "state", "#until", "until", "#token", "token"))
				.expressionAttributeValues(Map.of(":mine", s(token), ":until", n(at + lease.toMillis()), ":theirs",
						s(theirs), ":taking", s(TAKING))))) {
				break;
			}
		}
		if (!units.active()) {
			markTaken(claimKey, token); // nothing else comes with it
			return true;
		}
		// noted before the turn is written: a redelivery after a crash then knows the
		// intake got that far
		units.beforeTurns(turn -> {
			if (!table.updateIf(UpdateItemRequest.builder()
				.key(claimKey)
				.updateExpression("SET turn = :turn")
				.conditionExpression("#token = :mine")
				.expressionAttributeNames(Map.of("#token", "token"))
				.expressionAttributeValues(Map.of(":turn", n(turn), ":mine", s(token))))) {
				throw new IllegalStateException("the claim on " + platform + " event " + key
						+ " ran out during its intake, and another intake took it over");
			}
		});
		units.onSuccess(() -> markTaken(claimKey, token));
		// a step that fails frees the key at once for a redelivery, unless its turn may
		// be written (a crash leaves the lease to run out)
		units.onFailure(() -> table.deleteIf(DeleteItemRequest.builder()
			.key(claimKey)
			.conditionExpression("#token = :mine AND #state = :taking AND attribute_not_exists(turn)")
			.expressionAttributeNames(Map.of("#state", "state", "#token", "token"))
			.expressionAttributeValues(Map.of(":taking", s(TAKING), ":mine", s(token)))));
		return true;
	}

	private void markTaken(Map<String, AttributeValue> claimKey, String token) {
		if (!table.updateIf(UpdateItemRequest.builder()
			.key(claimKey)
			.updateExpression("SET #state = :taken REMOVE #until")
			.conditionExpression("#token = :token")
			.expressionAttributeNames(Map.of("#state", "state", "#until", "until", "#token", "token"))
			.expressionAttributeValues(Map.of(":taken", s(TAKEN), ":token", s(token))))) {
			throw new IllegalStateException(
					"the claim on an event ran out during its intake," + " and another intake took it over");
		}
	}

	@Override
	public boolean seen(String platform, String key) {
		return TAKEN.equals(string(table.get(key(item(platform, key), "A")), "state"));
	}

	/** Keys expire by DynamoDB's time to live ({@code expires_at}). */
	@Override
	public int forget(long before) {
		return 0;
	}

	static String item(String platform, String key) {
		return "E#" + platform + "#" + key;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException stopping) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while another intake held the event", stopping);
		}
	}

}
