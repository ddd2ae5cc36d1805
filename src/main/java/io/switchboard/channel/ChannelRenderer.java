package io.switchboard.channel;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import io.switchboard.image.ImageJob;
import io.switchboard.image.ImageOrigin;

/**
 * How one platform shows what Switchboard delivers: the only way anything reaches it
 * after the event that asked (answers, command replies, image jobs, comics). One bean per
 * platform. The pipeline calls it with each delivery as it stands, from any node that is
 * {@link #ready()}, one delivery of a {@link #lane} at a time, again after a failure; a
 * renderer makes each send safe to repeat (LINE's retry key; on Slack and Discord it
 * edits what {@link Outgoing#refs()} names instead of posting again).
 *
 * @param <A> the platform's address type: where a delivery goes, kept as JSON
 * @param <R> the platform's references to what it posted, kept as JSON
 */
public interface ChannelRenderer<A, R> {

	/** The platform, as in {@link Inbound#platform()}. */
	String platform();

	Class<A> addressType();

	Class<R> refsType();

	/**
	 * The lane of an address: deliveries to one lane (a chat, a thread) are sent one
	 * after another, in the order they were made.
	 */
	String lane(A address);

	/**
	 * Whether this node can reach the platform now (Discord: only the node holding the
	 * gateway). Deliveries wait for a node that can.
	 */
	default boolean ready() {
		return true;
	}

	/**
	 * Shows a delivery, or brings what an earlier send showed up to date.
	 * @throws DeliveryRefused when the platform will never take it
	 * @throws RuntimeException when it failed for now: it is tried again later
	 */
	Sent<R> send(Outgoing<A, R> outgoing);

	/**
	 * The live view of an answer while its model writes it, or {@link LiveAnswer#QUIET}.
	 * @param saveRefs keeps what the live view posts, so the delivery of the finished
	 * answer edits it (also after a restart)
	 */
	default LiveAnswer live(A address, R refs, Consumer<R> saveRefs) {
		return LiveAnswer.QUIET;
	}

	/**
	 * Whether this platform's live view shows the notices a turn gives besides its answer
	 * (facts proposed to remember) as they come; otherwise they are delivered after the
	 * answer, through {@link #send}.
	 */
	default boolean showsTurnNotices() {
		return false;
	}

	/**
	 * Where the images and comics asked for at an origin of this platform go; empty when
	 * the platform follows them some other way (the web page follows a job's own stream).
	 */
	default Optional<A> addressFor(ImageOrigin origin) {
		return Optional.empty();
	}

	/**
	 * Whether this change of an image job is shown (LINE, which cannot edit a message and
	 * counts every push, shows only the finished job).
	 */
	default boolean shows(ImageJob job) {
		return true;
	}

	/** How often a running image job's progress is shown at most. */
	default Duration progressInterval() {
		return Duration.ofSeconds(2);
	}

}
