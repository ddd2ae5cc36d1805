package io.switchboard.conversation;

/**
 * One piece of a stored message's content, in one format for every provider and platform
 * (a photo with a question is one message with both parts).
 */
public sealed interface MessagePart
		permits MessagePart.Text, MessagePart.Image, MessagePart.ToolCall, MessagePart.ToolResult {

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

	/**
	 * A tool the model asked for while answering, kept with the answer.
	 *
	 * @param arguments the arguments, a JSON object
	 */
	record ToolCall(String id, String name, String arguments) implements MessagePart {

		public ToolCall {
			if (id == null || name == null) {
				throw new IllegalArgumentException("a tool call needs an id and a name");
			}
			arguments = arguments == null ? "{}" : arguments;
		}

	}

	/**
	 * What a tool returned (as the model read it), kept with the answer.
	 *
	 * @param error whether the tool failed
	 * @param imageJob the image job it started, or {@code null}
	 */
	record ToolResult(String id, String name, String text, boolean error, Long imageJob) implements MessagePart {

		public ToolResult {
			if (id == null || name == null) {
				throw new IllegalArgumentException("a tool result needs its call's id and the tool's name");
			}
			text = text == null ? "" : text;
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
