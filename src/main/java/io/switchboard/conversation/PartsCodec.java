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
				case MessagePart.ToolCall call -> array.addObject()
					.put("type", "tool_call")
					.put("id", call.id())
					.put("name", call.name())
					.put("arguments", call.arguments());
				case MessagePart.ToolResult result -> {
					var node = array.addObject()
						.put("type", "tool_result")
						.put("id", result.id())
						.put("name", result.name())
						.put("text", result.text())
						.put("error", result.error());
					if (result.imageJob() != null) {
						node.put("imageJob", result.imageJob());
					}
				}
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
					case "tool_call" -> parts.add(new MessagePart.ToolCall(node.path("id").asText(),
							node.path("name").asText(), node.path("arguments").asText("{}")));
					case "tool_result" -> parts.add(new MessagePart.ToolResult(node.path("id").asText(),
							node.path("name").asText(), node.path("text").asText(), node.path("error").asBoolean(),
							node.hasNonNull("imageJob") ? node.get("imageJob").asLong() : null));
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
