package io.switchboard.api;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * What the gateway keeps of a whole (non-streamed) {@code chat.completion}: the usage the
 * upstream reported ({@code -1} where it reported none) and the first choice's text. Read
 * with Jackson's streaming parser rather than into a tree, because it runs on every
 * passed-through call and everything else in the answer is skipped.
 */
record CompletionSummary(int promptTokens, int completionTokens, int cachedTokens, String text) {

	/**
	 * Reads the first {@code length} bytes of {@code body}.
	 * @throws IOException if they are not a JSON object (or are cut short)
	 */
	static CompletionSummary read(JsonFactory json, byte[] body, int length) throws IOException {
		int in = -1;
		int out = -1;
		int cached = 0;
		String text = "";
		try (JsonParser parser = json.createParser(body, 0, length)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new IOException("not a JSON object");
			}
			while (parser.nextToken() == JsonToken.FIELD_NAME) {
				String field = parser.currentName();
				JsonToken value = parser.nextToken();
				if ("usage".equals(field) && value == JsonToken.START_OBJECT) {
					while (parser.nextToken() == JsonToken.FIELD_NAME) {
						String name = parser.currentName();
						JsonToken count = parser.nextToken();
						if (count == JsonToken.VALUE_NUMBER_INT && "prompt_tokens".equals(name)) {
							in = parser.getIntValue();
						}
						else if (count == JsonToken.VALUE_NUMBER_INT && "completion_tokens".equals(name)) {
							out = parser.getIntValue();
						}
						else if (count == JsonToken.START_OBJECT && "prompt_tokens_details".equals(name)) {
							cached = cachedTokens(parser);
						}
						else {
							parser.skipChildren();
						}
					}
				}
				else if ("choices".equals(field) && value == JsonToken.START_ARRAY) {
					text = firstChoiceText(parser);
				}
				else {
					parser.skipChildren();
				}
			}
			if (parser.currentToken() != JsonToken.END_OBJECT) {
				throw new IOException("the answer ends early");
			}
		}
		return new CompletionSummary(in, out, cached, text);
	}

	/**
	 * {@code prompt_tokens_details.cached_tokens}; leaves the parser at the object's end.
	 */
	private static int cachedTokens(JsonParser parser) throws IOException {
		int cached = 0;
		while (parser.nextToken() == JsonToken.FIELD_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if (value == JsonToken.VALUE_NUMBER_INT && "cached_tokens".equals(name)) {
				cached = parser.getIntValue();
			}
			else {
				parser.skipChildren();
			}
		}
		return cached;
	}

	/** {@code choices[0].message.content}; leaves the parser at the array's end. */
	private static String firstChoiceText(JsonParser parser) throws IOException {
		String text = "";
		boolean first = true;
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			if (!first || parser.currentToken() != JsonToken.START_OBJECT) {
				parser.skipChildren();
				first = false;
				continue;
			}
			first = false;
			while (parser.nextToken() == JsonToken.FIELD_NAME) {
				String field = parser.currentName();
				JsonToken value = parser.nextToken();
				if ("message".equals(field) && value == JsonToken.START_OBJECT) {
					while (parser.nextToken() == JsonToken.FIELD_NAME) {
						String name = parser.currentName();
						JsonToken content = parser.nextToken();
						if ("content".equals(name) && content == JsonToken.VALUE_STRING) {
							text = parser.getText();
						}
						else {
							parser.skipChildren();
						}
					}
				}
				else {
					parser.skipChildren();
				}
			}
		}
		return text;
	}

}
