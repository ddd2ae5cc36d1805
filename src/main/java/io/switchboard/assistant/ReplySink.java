package io.switchboard.assistant;

/**
 * Where a channel receives the assistant's events for one message. Called on the thread
 * that handles the message, in order.
 */
@FunctionalInterface
public interface ReplySink {

	void accept(ReplyEvent event);

}
