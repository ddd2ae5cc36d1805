package io.switchboard.conversation;

/**
 * One piece of a stored message's content, in one format for every provider and platform
 * (a photo with a question is one message with both parts).
 */
public sealed interface MessagePart permits MessagePart.Text, MessagePart.Image {

	record Text(String text) implements MessagePart {

		public Text {
			if (text == null) {
				throw new IllegalArgumentException("text must not be null");
			}
		}

	}

	/**
	 * An image in the media store.
	 *
	 * @param sha256 the media store key
	 * @param mimeType e.g. {@code image/png}
	 * @param width pixels, for counting its tokens
	 * @param height pixels
	 */
	record Image(String sha256, String mimeType, int width, int height) implements MessagePart {

		public Image {
			if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
				throw new IllegalArgumentException("not a sha256 media key: " + sha256);
			}
		}

	}

	/** The text parts of a list joined with blank lines. */
	static String textOf(java.util.List<MessagePart> parts) {
		StringBuilder text = new StringBuilder();
		for (MessagePart part : parts) {
			if (part instanceof Text(String value) && !value.isBlank()) {
				if (!text.isEmpty()) {
					text.append("\n\n");
				}
				text.append(value);
			}
		}
		return text.toString();
	}

}
