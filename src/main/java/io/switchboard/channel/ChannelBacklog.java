package io.switchboard.channel;

/**
 * A channel that can take in again the platform events an earlier version of Switchboard
 * had accepted but not yet processed when it was upgraded (kept in
 * {@code channel_backlog}). Called once per event at start-up; the event then goes
 * through the {@link Intake} like a new one.
 */
public interface ChannelBacklog {

	String platform();

	/** Takes one kept event in again; throwing leaves it for the next start. */
	void retake(String eventId, String payload);

}
