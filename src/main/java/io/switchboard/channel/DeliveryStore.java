package io.switchboard.channel;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The storage port for deliveries. Every change that matters is one conditional write (a
 * claim only on a due, unclaimed delivery; "sent" only when no change arrived meanwhile),
 * so nodes and threads racing on a delivery never both win. Adapters:
 * {@link JdbcDeliveryStore} (the {@code channel_deliveries} table) and
 * {@link DynamoDeliveryStore}.
 */
interface DeliveryStore {

	String HELD = "held";

	String PENDING = "pending";

	String SENT = "sent";

	String FAILED = "failed";

	/**
	 * One delivery.
	 *
	 * @param version changes of the content so far: a send that began at one version and
	 * ends at another sends again
	 */
	record Row(long id, String platform, String key, String lane, String address, String content, String state,
			int version, String refs, String shown, int attempts, long nextAt, Long sentAt, String claimedBy,
			long claimedUntil) {

		/** Whether {@code node} holds the claim on it now. */
		boolean claimedBy(String node, long now) {
			return node.equals(claimedBy) && claimedUntil > now;
		}

	}

	record Due(long id, String lane) {
	}

	/**
	 * Adds a delivery, as part of the current unit of writes when there is one
	 * ({@link PipelineTransactions}); empty when one with the same key exists already
	 * (its content is left as it is).
	 * @param claimedBy the node that will send it at once, which claims it from the start
	 * (no other sender takes it until {@code claimedUntil}); {@code null} for none
	 */
	Optional<Long> insert(String platform, String key, String lane, String address, String content, String state,
			String claimedBy, Long claimedUntil, long now);

	/**
	 * Adds a delivery or, when it exists, marks it changed: due again (no sooner than
	 * {@code pace} after its last send, unless {@code urgent}), one version further.
	 * @return its id
	 */
	long upsertChanged(String platform, String key, String lane, String address, String content, boolean urgent,
			long paceMillis, long now);

	Optional<Long> findId(String platform, String key);

	Optional<Row> find(long id);

	/**
	 * Makes a held answer due (its turn has settled it), claimed by the node that will
	 * send it at once, or by none; returns its lane, empty when it was not held.
	 */
	Optional<String> release(long id, String claimedBy, Long claimedUntil, long now);

	/**
	 * {@link #release} of a delivery the caller knows to be the platform's; by default
	 * the same. A store that needs the platform to make a delivery due (DynamoDB's due
	 * index) takes it from here rather than reading the delivery first.
	 */
	default Optional<String> release(long id, String platform, String claimedBy, Long claimedUntil, long now) {
		return release(id, claimedBy, claimedUntil, now);
	}

	/** Keeps what a live view posted, so the delivery edits it. */
	void saveRefs(long id, String refs, long now);

	/**
	 * Claims a due delivery for one send; false when it is not due, already sent, or held
	 * by another sender whose claim has not run out.
	 */
	boolean claim(long id, String node, long until, long now);

	/**
	 * Records a send the platform took. The delivery is done unless its content changed
	 * during the send (a newer version), which is then due at {@code againAt}.
	 */
	void sent(long id, int version, String refs, String shown, long againAt, long now);

	/** A send failed for now: tried again at {@code nextAt}. */
	void retry(long id, int attempts, long nextAt, String error, long now);

	/**
	 * Gives a delivery up: the platform refused it for good, or too many attempts failed.
	 */
	void fail(long id, String error, long now);

	/** Ends a delivery with nothing to show (its answer or job is gone). */
	void drop(long id, long now);

	/**
	 * Deliveries due now on the given platforms and not claimed, oldest first, with their
	 * lanes.
	 */
	List<Due> due(Collection<String> platforms, long now, int limit);

	/**
	 * Forgets finished deliveries last changed before {@code before}; returns how many (a
	 * store whose finished deliveries expire by themselves returns 0).
	 */
	int forget(long before);

	/** An error as kept with a delivery: at most 1,000 characters. */
	static String abbreviate(String error) {
		if (error == null) {
			return null;
		}
		return error.length() <= 1000 ? error : error.substring(0, 1000);
	}

}
