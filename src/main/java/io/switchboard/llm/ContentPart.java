package io.switchboard.llm;

/**
 * One piece of a message's content, the same for every provider: adapters translate these
 * to their vendor's format.
 */
public sealed interface ContentPart permits ContentPart.Text, ContentPart.Image {

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

}
