package io.switchboard.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@code /v1/chat/completions} body, checked in one pass of a streaming parser and kept
 * as the client's bytes. Passing it upstream rewrites only the {@code model} value (and
 * asks for the usage chunk when streaming) by splicing bytes, so every other field, known
 * or not, reaches the upstream exactly as the client wrote it, and no tree is built on
 * the hot path.
 */
final class ChatCompletionRequest {

	private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

	private static final byte[] ASK_FOR_USAGE = ",\"stream_options\":{\"include_usage\":true}"
		.getBytes(StandardCharsets.US_ASCII);

	private final byte[] body;

	private final String model;

	private final boolean stream;

	private final boolean clientWantsUsage;

	private final int maxTokens;

	private final int modelStart;

	private final int modelEnd;

	private final int streamOptionsStart;

	private final int streamOptionsEnd;

	private final int objectEnd;

	private JsonNode tree;

	private ChatCompletionRequest(byte[] body, String model, boolean stream, boolean clientWantsUsage, int maxTokens,
			int modelStart, int modelEnd, int streamOptionsStart, int streamOptionsEnd, int objectEnd) {
		this.body = body;
		this.model = model;
		this.stream = stream;
		this.clientWantsUsage = clientWantsUsage;
		this.maxTokens = maxTokens;
		this.modelStart = modelStart;
		this.modelEnd = modelEnd;
		this.streamOptionsStart = streamOptionsStart;
		this.streamOptionsEnd = streamOptionsEnd;
		this.objectEnd = objectEnd;
	}

	String model() {
		return model;
	}

	boolean stream() {
		return stream;
	}

	/** Whether the client asked for the usage chunk with {@code stream_options}. */
	boolean clientWantsUsage() {
		return clientWantsUsage;
	}

	/** The answer's token limit the client asked for, or -1 when it left it open. */
	int maxTokens() {
		return maxTokens;
	}

	byte[] body() {
		return body;
	}

	/**
	 * Checks a body.
	 * @throws OpenAiError 400 for malformed JSON or fields of the wrong shape
	 */
	static ChatCompletionRequest parse(byte[] body, JsonFactory factory) {
		try (JsonParser json = factory.createParser(body)) {
			if (json.nextToken() != JsonToken.START_OBJECT) {
				throw malformed();
			}
			String model = null;
			int modelStart = -1;
			int modelEnd = -1;
			boolean stream = false;
			boolean wantsUsage = false;
			int optionsStart = -1;
			int optionsEnd = -1;
			boolean sawMessages = false;
			int maxTokens = -1;
			JsonToken token;
			while ((token = json.nextToken()) == JsonToken.FIELD_NAME) {
				String field = json.currentName();
				JsonToken value = json.nextToken();
				switch (field) {
					case "model" -> {
						if (value != JsonToken.VALUE_STRING) {
							throw OpenAiError.invalid(typeMessage("model", "a string", value), "model", "invalid_type");
						}
						modelStart = (int) json.currentTokenLocation().getByteOffset();
						model = json.getText();
						modelEnd = (int) json.currentLocation().getByteOffset();
					}
					case "messages" -> {
						checkMessages(json, value);
						sawMessages = true;
					}
					case "stream" -> {
						if (value == JsonToken.VALUE_TRUE) {
							stream = true;
						}
						else if (value != JsonToken.VALUE_FALSE && value != JsonToken.VALUE_NULL) {
							throw OpenAiError.invalid(typeMessage("stream", "a boolean", value), "stream",
									"invalid_type");
						}
					}
					case "stream_options" -> {
						optionsStart = (int) json.currentTokenLocation().getByteOffset();
						if (value == JsonToken.START_OBJECT) {
							wantsUsage = includeUsage(json);
						}
						else if (value != JsonToken.VALUE_NULL) {
							throw OpenAiError.invalid(typeMessage("stream_options", "an object", value),
									"stream_options", "invalid_type");
						}
						optionsEnd = (int) json.currentLocation().getByteOffset();
					}
					case "max_tokens", "max_completion_tokens" -> {
						if (value == JsonToken.VALUE_NUMBER_INT && json.getLongValue() > 0) {
							maxTokens = (int) Math.min(Integer.MAX_VALUE, json.getLongValue());
						}
						else if (value != JsonToken.VALUE_NULL) {
							throw OpenAiError.invalid("Invalid '" + field + "': expected a positive integer, but got "
									+ (value == JsonToken.VALUE_NUMBER_INT ? json.getText() : describe(value))
									+ " instead.", field, "invalid_value");
						}
					}
					default -> json.skipChildren();
				}
			}
			if (token != JsonToken.END_OBJECT) {
				throw malformed();
			}
			int objectEnd = (int) json.currentTokenLocation().getByteOffset();
			if (json.nextToken() != null) {
				throw malformed();
			}
			if (model == null || model.isBlank()) {
				throw OpenAiError.invalid("you must provide a model parameter", "model", null);
			}
			if (!sawMessages) {
				throw OpenAiError.invalid("Missing required parameter: 'messages'.", "messages",
						"missing_required_parameter");
			}
			if (mayHoldSurrogateEscape(body)) {
				refuseUnpairedSurrogates(body, factory);
			}
			return new ChatCompletionRequest(body, model, stream, wantsUsage, maxTokens, modelStart, modelEnd,
					optionsStart, optionsEnd, objectEnd);
		}
		catch (JsonProcessingException broken) {
			throw malformed();
		}
		catch (IOException impossible) {
			throw malformed();
		}
	}

	/**
	 * Whether the body has a {@code \\uD800}-{@code \\uDFFF} escape: a quick byte scan,
	 * so that the common body is not walked twice.
	 */
	private static boolean mayHoldSurrogateEscape(byte[] body) {
		for (int i = 0; i + 3 < body.length; i++) {
			if (body[i] == '\\' && body[i + 1] == 'u' && (body[i + 2] | 0x20) == 'd') {
				int next = body[i + 3] | 0x20;
				if (next == '8' || next == '9' || (next >= 'a' && next <= 'f')) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Refuses text with a lone UTF-16 surrogate: it is not Unicode, upstreams answer it
	 * with errors of their own (or worse), and it cannot be stored as UTF-8.
	 */
	private static void refuseUnpairedSurrogates(byte[] body, JsonFactory factory) throws IOException {
		try (JsonParser json = factory.createParser(body)) {
			JsonToken token;
			while ((token = json.nextToken()) != null) {
				if (token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) {
					String text = json.getText();
					for (int i = 0; i < text.length(); i++) {
						char c = text.charAt(i);
						if (Character.isHighSurrogate(c) && i + 1 < text.length()
								&& Character.isLowSurrogate(text.charAt(i + 1))) {
							i++;
						}
						else if (Character.isSurrogate(c)) {
							throw OpenAiError.invalid(String.format(
									"The request holds an unpaired UTF-16 surrogate (\\u%04x) at byte %d, which is "
											+ "not valid Unicode text.",
									(int) c, json.currentTokenLocation().getByteOffset()), null, "invalid_unicode");
						}
					}
				}
			}
		}
	}

	private static boolean includeUsage(JsonParser json) throws IOException {
		boolean include = false;
		while (json.nextToken() == JsonToken.FIELD_NAME) {
			String name = json.currentName();
			JsonToken value = json.nextToken();
			if ("include_usage".equals(name)) {
				include = value == JsonToken.VALUE_TRUE;
			}
			else {
				json.skipChildren();
			}
		}
		return include;
	}

	private static void checkMessages(JsonParser json, JsonToken value) throws IOException {
		if (value != JsonToken.START_ARRAY) {
			throw OpenAiError.invalid(typeMessage("messages", "an array", value), "messages", "invalid_type");
		}
		int index = 0;
		JsonToken token;
		while ((token = json.nextToken()) != JsonToken.END_ARRAY) {
			String at = "messages[" + index + "]";
			if (token != JsonToken.START_OBJECT) {
				throw OpenAiError.invalid(typeMessage(at, "an object", token), at, "invalid_type");
			}
			String role = null;
			boolean hasContent = false;
			while (json.nextToken() == JsonToken.FIELD_NAME) {
				String field = json.currentName();
				JsonToken fieldValue = json.nextToken();
				switch (field) {
					case "role" -> {
						if (fieldValue != JsonToken.VALUE_STRING || !ROLES.contains(json.getText())) {
							throw OpenAiError.invalid("Invalid value for '" + at
									+ ".role': expected one of 'system', 'developer', 'user', 'assistant', 'tool'.",
									at + ".role", "invalid_value");
						}
						role = json.getText();
					}
					case "content" -> hasContent = checkContent(json, fieldValue, at + ".content");
					default -> json.skipChildren();
				}
			}
			if (role == null) {
				throw OpenAiError.invalid("Missing required parameter: '" + at + ".role'.", at + ".role",
						"missing_required_parameter");
			}
			// only an assistant turn (one that called tools, say) may come without
			// content
			if (!hasContent && !"assistant".equals(role)) {
				throw OpenAiError.invalid("Missing required parameter: '" + at + ".content'.", at + ".content",
						"missing_required_parameter");
			}
			index++;
		}
		if (index == 0) {
			throw OpenAiError.invalid("Invalid 'messages': empty array. Expected an array with minimum length 1.",
					"messages", "empty_array");
		}
	}

	/**
	 * Whether there is content: a string, or a list of typed parts; {@code null} is none.
	 */
	private static boolean checkContent(JsonParser json, JsonToken value, String at) throws IOException {
		if (value == JsonToken.VALUE_STRING) {
			return true;
		}
		if (value == JsonToken.VALUE_NULL) {
			return false;
		}
		if (value != JsonToken.START_ARRAY) {
			throw OpenAiError.invalid(typeMessage(at, "one of a string or array of objects", value), at,
					"invalid_type");
		}
		int index = 0;
		JsonToken token;
		while ((token = json.nextToken()) != JsonToken.END_ARRAY) {
			String part = at + "[" + index + "]";
			if (token != JsonToken.START_OBJECT) {
				throw OpenAiError.invalid(typeMessage(part, "an object", token), part, "invalid_type");
			}
			boolean typed = false;
			while (json.nextToken() == JsonToken.FIELD_NAME) {
				String field = json.currentName();
				JsonToken fieldValue = json.nextToken();
				if ("type".equals(field)) {
					if (fieldValue != JsonToken.VALUE_STRING) {
						throw OpenAiError.invalid(typeMessage(part + ".type", "a string", fieldValue), part + ".type",
								"invalid_type");
					}
					typed = true;
				}
				else {
					json.skipChildren();
				}
			}
			if (!typed) {
				throw OpenAiError.invalid("Missing required parameter: '" + part + ".type'.", part + ".type",
						"missing_required_parameter");
			}
			index++;
		}
		return true;
	}

	/**
	 * The body to send upstream: the client's bytes with the model renamed and, when
	 * streaming, the usage chunk asked for.
	 */
	byte[] upstreamBody(String upstreamModel) {
		byte[] quoted = quote(upstreamModel);
		boolean askUsage = stream && !clientWantsUsage;
		ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + quoted.length + ASK_FOR_USAGE.length);
		if (!askUsage) {
			out.write(body, 0, modelStart);
			out.writeBytes(quoted);
			out.write(body, modelEnd, body.length - modelEnd);
			return out.toByteArray();
		}
		if (streamOptionsStart < 0) {
			out.write(body, 0, modelStart);
			out.writeBytes(quoted);
			out.write(body, modelEnd, objectEnd - modelEnd);
			out.writeBytes(ASK_FOR_USAGE);
			out.write(body, objectEnd, body.length - objectEnd);
			return out.toByteArray();
		}
		byte[] options = withIncludeUsage();
		// two splices, in the order they appear
		int firstStart = Math.min(modelStart, streamOptionsStart);
		int firstEnd = firstStart == modelStart ? modelEnd : streamOptionsEnd;
		byte[] first = firstStart == modelStart ? quoted : options;
		int secondStart = firstStart == modelStart ? streamOptionsStart : modelStart;
		int secondEnd = firstStart == modelStart ? streamOptionsEnd : modelEnd;
		byte[] second = firstStart == modelStart ? options : quoted;
		out.write(body, 0, firstStart);
		out.writeBytes(first);
		out.write(body, firstEnd, secondStart - firstEnd);
		out.writeBytes(second);
		out.write(body, secondEnd, body.length - secondEnd);
		return out.toByteArray();
	}

	private byte[] withIncludeUsage() {
		try {
			ObjectMapper mapper = new ObjectMapper();
			JsonNode options = mapper.readTree(body, streamOptionsStart, streamOptionsEnd - streamOptionsStart);
			ObjectNode object = options != null && options.isObject() ? (ObjectNode) options
					: mapper.createObjectNode();
			object.put("include_usage", true);
			return mapper.writeValueAsBytes(object);
		}
		catch (IOException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	/** The body as a tree, for translating it to another vendor or reading messages. */
	JsonNode tree(ObjectMapper mapper) {
		if (tree == null) {
			try {
				tree = mapper.readTree(body);
			}
			catch (IOException impossible) {
				throw malformed(); // parse() read it already
			}
		}
		return tree;
	}

	private static byte[] quote(String text) {
		byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(text);
		byte[] quoted = new byte[escaped.length + 2];
		quoted[0] = '"';
		System.arraycopy(escaped, 0, quoted, 1, escaped.length);
		quoted[quoted.length - 1] = '"';
		return quoted;
	}

	static OpenAiError malformed() {
		return OpenAiError
			.invalid("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
					+ "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not "
					+ "valid JSON.)", null, null);
	}

	private static String typeMessage(String param, String expected, JsonToken got) {
		return "Invalid type for '" + param + "': expected " + expected + ", but got " + describe(got) + " instead.";
	}

	private static String describe(JsonToken token) {
		if (token == null) {
			return "nothing";
		}
		return switch (token) {
			case VALUE_STRING -> "a string";
			case VALUE_NUMBER_INT -> "an integer";
			case VALUE_NUMBER_FLOAT -> "a decimal";
			case VALUE_TRUE, VALUE_FALSE -> "a boolean";
			case VALUE_NULL -> "null";
			case START_ARRAY -> "an array";
			case START_OBJECT -> "an object";
			default -> "something else";
		};
	}

}
