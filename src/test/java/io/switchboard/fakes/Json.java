package io.switchboard.fakes;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON helpers shared by the fakes and the tests that read what a fake received. */
public final class Json {

	private static final ObjectMapper MAPPER = new ObjectMapper();

	private Json() {
	}

	public static JsonNode read(byte[] json) {
		try {
			return MAPPER.readTree(json);
		}
		catch (IOException notJson) {
			throw new UncheckedIOException("not JSON: " + new String(json, java.nio.charset.StandardCharsets.UTF_8),
					notJson);
		}
	}

	public static JsonNode read(String json) {
		return read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/** Compact JSON, on one line as server-sent events need it. */
	public static String write(JsonNode node) {
		try {
			return MAPPER.writeValueAsString(node);
		}
		catch (JsonProcessingException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	public static ObjectNode object() {
		return MAPPER.createObjectNode();
	}

	public static ArrayNode array() {
		return MAPPER.createArrayNode();
	}

}
