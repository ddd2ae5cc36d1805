package io.switchboard.assistant;

import java.util.List;

import io.switchboard.conversation.MessagePart;
import io.switchboard.conversation.Place;
import io.switchboard.conversation.PlatformUserId;
import io.switchboard.conversation.SessionId;

/**
 * A message from any platform, after the channel has verified and translated it. Images
 * are stored in the media store by the channel first and referenced here.
 *
 * @param sender who wrote it, as their platform knows them
 * @param senderName their display name on that platform, for new users
 * @param place where it was written
 * @param parts text and image parts
 * @param session the session the sender named (the web page names one), or {@code null}
 * to follow the sender's state and current session
 */
public record InboundMessage(PlatformUserId sender, String senderName, Place place, List<MessagePart> parts,
		SessionId session) {

	public InboundMessage {
		if (sender == null || place == null) {
			throw new IllegalArgumentException("a message needs a sender and a place");
		}
		parts = List.copyOf(parts);
	}

	public static InboundMessage text(PlatformUserId sender, String senderName, Place place, String text) {
		return new InboundMessage(sender, senderName, place, List.of(new MessagePart.Text(text)), null);
	}

	/** The text parts joined. */
	public String text() {
		StringBuilder text = new StringBuilder();
		for (MessagePart part : parts) {
			if (part instanceof MessagePart.Text(String value)) {
				if (!text.isEmpty()) {
					text.append('\n');
				}
				text.append(value);
			}
		}
		return text.toString();
	}

	public boolean hasImages() {
		return parts.stream().anyMatch(MessagePart.Image.class::isInstance);
	}

}
