package io.switchboard.channel.serverless;

/**
 * A platform event the webhook function kept and queued for the worker, which takes it
 * in: the body of its SQS message, as JSON. (The queue's other messages are turns handed
 * over, {@link io.switchboard.channel.HandedTurn}s.)
 *
 * @param platform the platform that sent it ({@code line})
 * @param key its de-duplication key there (LINE's {@code webhookEventId})
 * @param event the event as the platform sent it, signed with the call it came in
 */
record QueuedEvent(String platform, String key, String event) {

	/** The field only this kind of message has. */
	static final String MARK = "event";

}
