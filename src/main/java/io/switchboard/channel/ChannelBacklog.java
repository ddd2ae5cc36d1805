package io.switchboard.channel;

/**
 * A channel that can take in an event kept as its platform sent it: one an earlier
 * version of Switchboard had accepted but not yet processed when it was upgraded (kept in
 * {@code channel_backlog}, taken in once at start-up), or one the serverless edition's
 * webhook function kept and queued for its worker. The event then goes through the
 * {@link Intake} like a new one, and a key taken in before gets nothing new.
 */
public interface ChannelBacklog {

	String platform();

	/** Takes one kept event in; throwing leaves it to be taken in again later. */
	void retake(String eventId, String payload);

}
