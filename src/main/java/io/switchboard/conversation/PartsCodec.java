package io.switchboard.conversation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Message parts as stored: a JSON array of typed objects, the same in every database and
 * for every provider, so a new part type is a new {@code type} value rather than a new
 * column.
 */
@org.springframework.stereotype.Component
final class PartsCodec {

	private final ObjectMapper json;

	PartsCodec(ObjectMapper json) {
		this.json = json;
	}

	String write(List<MessagePart> parts) {
		ArrayNode array = json.createArrayNode();
		for (MessagePart part : parts) {
			switch (part) {
				case MessagePart.Text text -> array.addObject().put("type", "text").put("text", text.text());
				case MessagePart.Image image -> array.addObject()
					.put("type", "image")
					.put("sha256", image.sha256())
					.put("mime", image.mimeType())
					.put("width", image.width())
					.put("height", image.height());
			}
		}
		return array.toString();
	}

	List<MessagePart> read(String stored) {
		try {
			List<MessagePart> parts = new ArrayList<>();
			for (JsonNode node : json.readTree(stored)) {
				switch (node.path("type").asText()) {
					case "text" -> parts.add(new MessagePart.Text(node.path("text").asText()));
					case "image" -> parts.add(new MessagePart.Image(node.path("sha256").asText(),
							node.path("mime").asText(), node.path("width").asInt(), node.path("height").asInt()));
					default -> {
						// a part type from a newer version: keep reading the rest
					}
				}
			}
			return parts;
		}
		catch (IOException corrupt) {
			throw new IllegalStateException("stored message content is not valid JSON", corrupt);
		}
	}

}
