package io.switchboard.channel;

/**
 * Processes one platform's events taken in by the {@link ChannelInbox}. Called on a
 * background worker, possibly again after a crash or a failure, so it must tolerate
 * running twice for one event (e.g. LINE pushes carry a retry key derived from the event
 * id).
 */
public interface InboundEventHandler {

	/** The platform whose events this handles, e.g. {@code line}. */
	String platform();

	/** Processes an event; throwing makes it retried later with backoff. */
	void handle(String eventId, String payload) throws Exception;

}
