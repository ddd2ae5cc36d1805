package io.switchboard.channel;

/**
 * A platform refused a delivery for good (no access to the channel, a user who blocked
 * the bot, a message it will never take): it is given up at once instead of tried again.
 * Any other exception from a {@link ChannelRenderer} is taken as passing and tried again
 * with a growing pause.
 */
public class DeliveryRefused extends RuntimeException {

	public DeliveryRefused(String message) {
		super(message);
	}

	public DeliveryRefused(String message, Throwable cause) {
		super(message, cause);
	}

}
