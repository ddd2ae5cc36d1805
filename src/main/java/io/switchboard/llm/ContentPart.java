package io.switchboard.llm;

/**
 * One piece of a message's content, the same for every provider: adapters translate these
 * to their vendor's format.
 */
public sealed interface ContentPart
		permits ContentPart.Text, ContentPart.Image, ContentPart.ToolCall, ContentPart.ToolResult {

	/** Plain text. */
	record Text(String text) implements ContentPart {

		public Text {
			if (text == null) {
				throw new IllegalArgumentException("text must not be null");
			}
		}

	}

	/**
	 * An image given inline as bytes; adapters send it as a data URL or their vendor's
	 * inline form, so no public URL is needed.
	 */
	record Image(String mimeType, byte[] data) implements ContentPart {

		public Image {
			if (mimeType == null || !mimeType.startsWith("image/")) {
				throw new IllegalArgumentException("not an image mime type: " + mimeType);
			}
			if (data == null || data.length == 0) {
				throw new IllegalArgumentException("image data must not be empty");
			}
		}

		/**
		 * The image as a {@code data:} URL, the form OpenAI-compatible servers accept.
		 */
		public String dataUrl() {
			return "data:" + mimeType + ";base64," + java.util.Base64.getEncoder().encodeToString(data);
		}

		@Override
		public String toString() {
			return "Image[" + mimeType + ", " + data.length + " bytes]";
		}

	}

	/**
	 * The model asks for a tool to be run (in an assistant message).
	 *
	 * @param id the vendor's id for this call, which its result must name
	 * @param name the tool's name
	 * @param arguments the arguments as a JSON object, as the model wrote them
	 */
	record ToolCall(String id, String name, String arguments) implements ContentPart {

		public ToolCall {
			if (id == null || id.isBlank()) {
				throw new IllegalArgumentException("a tool call needs an id");
			}
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("a tool call needs a tool name");
			}
			arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
		}

	}

	/**
	 * What a tool returned (in a {@link Role#TOOL} message), as text for the model.
	 *
	 * @param id the id of the call this answers
	 * @param name the tool's name (Gemini matches results by name)
	 * @param text the result, or what went wrong
	 * @param error whether the tool failed: the text says why
	 */
	record ToolResult(String id, String name, String text, boolean error) implements ContentPart {

		public ToolResult {
			if (id == null || id.isBlank()) {
				throw new IllegalArgumentException("a tool result needs the id of its call");
			}
			text = text == null ? "" : text;
		}

	}

}
