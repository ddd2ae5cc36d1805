package io.switchboard.assistant;

/**
 * Where the assistant's events for one message go: a command's replies, or an answer as
 * it is written (a channel's live view of it). Called on the thread that handles the
 * message, in order.
 */
@FunctionalInterface
public interface ReplySink {

	void accept(ReplyEvent event);

}
