package io.switchboard.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.llm.ChatMessage;
import io.switchboard.llm.ChatRequest;
import io.switchboard.llm.ChatResponse;
import io.switchboard.llm.ContentPart;
import io.switchboard.llm.FinishReason;
import io.switchboard.llm.ModelSpec;
import io.switchboard.llm.OpenAiToolFormat;
import io.switchboard.llm.Role;
import io.switchboard.llm.TokenUsage;
import io.switchboard.llm.ToolSpec;

/**
 * OpenAI's chat completion format to and from the llm module's neutral types, for models
 * whose vendor speaks another protocol (Anthropic, Gemini, the demo model): the llm
 * module's adapters then speak the vendor's protocol.
 */
final class Translation {

	private Translation() {
	}

	/**
	 * The neutral request for an OpenAI request body.
	 * @throws OpenAiError 400 for what the translation cannot carry (a forced tool
	 * choice, several choices, images by remote URL)
	 */
	static ChatRequest toChatRequest(JsonNode body, ModelSpec model) {
		List<ToolSpec> tools;
		try {
			tools = OpenAiToolFormat.tools(body);
		}
		catch (OpenAiToolFormat.Unsupported unsupported) {
			throw OpenAiError.invalid(unsupported.getMessage(), unsupported.param(), "unsupported_value");
		}
		java.util.Map<String, String> callNames = new java.util.HashMap<>();
		if (body.path("n").asInt(1) != 1) {
			throw OpenAiError.invalid("The model `" + model.name() + "` answers with one choice only (n=1).", "n",
					"unsupported_value");
		}
		List<ChatMessage> messages = new ArrayList<>();
		JsonNode list = body.path("messages");
		for (int i = 0; i < list.size(); i++) {
			JsonNode message = list.get(i);
			Role role = switch (message.path("role").asText()) {
				case "system", "developer" -> Role.SYSTEM;
				case "user" -> Role.USER;
				case "assistant" -> Role.ASSISTANT;
				case "tool" -> Role.TOOL;
				default -> throw OpenAiError.invalid(
						"The model `" + model.name() + "` is served through translation and does not support "
								+ "messages of role '" + message.path("role").asText() + "'.",
						"messages[" + i + "].role", "unsupported_value");
			};
			String at = "messages[" + i + "]";
			List<ContentPart> parts;
			try {
				if (role == Role.TOOL) {
					parts = List.of(OpenAiToolFormat.result(message, callNames, at));
				}
				else {
					parts = new ArrayList<>(message.path("content").isNull() ? List.of()
							: parts(message.path("content"), at + ".content", model));
					for (ContentPart.ToolCall call : OpenAiToolFormat.calls(message, at)) {
						callNames.put(call.id(), call.name());
						parts.add(call);
					}
				}
			}
			catch (OpenAiToolFormat.Unsupported unsupported) {
				throw OpenAiError.invalid(unsupported.getMessage(), unsupported.param(), "invalid_value");
			}
			if (!parts.isEmpty()) {
				messages.add(new ChatMessage(role, parts));
			}
		}
		if (messages.stream().noneMatch(message -> message.role() == Role.USER)) {
			throw OpenAiError.invalid("'messages' must contain at least one user message.", "messages",
					"invalid_value");
		}
		JsonNode max = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens")
				: body.path("max_tokens");
		int maxTokens = model.maxOutputTokens();
		if (max.isNumber()) {
			if (max.asInt() < 1) {
				throw OpenAiError.invalid("Invalid 'max_tokens': must be at least 1.", "max_tokens", "invalid_value");
			}
			maxTokens = Math.min(max.asInt(), model.maxOutputTokens());
		}
		Double temperature = body.path("temperature").isNumber() ? body.get("temperature").asDouble() : null;
		ChatRequest request = new ChatRequest(model, messages, maxTokens, temperature, tools);
		if (request.hasImages() && !model.vision()) {
			throw OpenAiError.invalid("The model `" + model.name() + "` does not read images.", "messages",
					"image_not_supported");
		}
		return request;
	}

	private static List<ContentPart> parts(JsonNode content, String at, ModelSpec model) {
		List<ContentPart> parts = new ArrayList<>();
		if (content.isTextual()) {
			parts.add(new ContentPart.Text(content.asText()));
			return parts;
		}
		for (int i = 0; i < content.size(); i++) {
			JsonNode part = content.get(i);
			switch (part.path("type").asText()) {
				case "text" -> parts.add(new ContentPart.Text(part.path("text").asText("")));
				case "image_url" -> {
					JsonNode image = part.path("image_url");
					String url = image.isTextual() ? image.asText() : image.path("url").asText("");
					parts.add(image(url, at + "[" + i + "].image_url", model));
				}
				default -> throw OpenAiError.invalid("The model `" + model.name()
						+ "` is served through translation and does not support content parts of type '"
						+ part.path("type").asText() + "'.", at + "[" + i + "].type", "unsupported_value");
			}
		}
		return parts;
	}

	private static ContentPart.Image image(String url, String at, ModelSpec model) {
		DataUrl image = DataUrl.parse(url)
			.filter(data -> data.mimeType().startsWith("image/"))
			.orElseThrow(() -> OpenAiError.invalid(
					"The model `" + model.name() + "` takes images as base64 data: URLs only.", at,
					"invalid_image_url"));
		try {
			return new ContentPart.Image(image.mimeType(), image.bytes());
		}
		catch (IllegalArgumentException broken) {
			throw OpenAiError.invalid("The image's base64 data cannot be read.", at, "invalid_image_url");
		}
	}

	/**
	 * All message texts joined, for estimating input tokens when an upstream gave none.
	 */
	static String allText(JsonNode body) {
		StringBuilder text = new StringBuilder();
		body.path("messages").forEach(message -> {
			JsonNode content = message.path("content");
			if (content.isTextual()) {
				text.append(content.asText()).append('\n');
			}
			else {
				content.forEach(part -> text.append(part.path("text").asText("")).append('\n'));
			}
		});
		return text.toString();
	}

	static String finishReason(FinishReason reason) {
		return switch (reason) {
			case STOP -> "stop";
			case LENGTH -> "length";
			case CONTENT_FILTER -> "content_filter";
			case TOOL_CALLS -> "tool_calls";
			case OTHER -> "stop";
		};
	}

	/** A whole {@code chat.completion}. */
	static byte[] completion(ObjectMapper mapper, String id, long created, String model, ChatResponse answer) {
		return completion(mapper, id, created, model, answer, null);
	}

	/**
	 * A whole {@code chat.completion}, with the MCP calls the gateway ran for it
	 * ({@code mcp_calls}) when it ran the server's tools, {@code null} otherwise.
	 */
	static byte[] completion(ObjectMapper mapper, String id, long created, String model, ChatResponse answer,
			List<ObjectNode> mcpCalls) {
		ObjectNode completion = mapper.createObjectNode()
			.put("id", id)
			.put("object", "chat.completion")
			.put("created", created)
			.put("model", model);
		ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
		ObjectNode message = choice.putObject("message").put("role", "assistant");
		if (answer.wantsTools() && answer.text().isEmpty()) {
			message.putNull("content");
		}
		else {
			message.put("content", answer.text());
		}
		message.putNull("refusal");
		if (answer.wantsTools()) {
			OpenAiToolFormat.write(message.putArray("tool_calls"), answer.toolCalls(), false);
		}
		choice.putNull("logprobs");
		choice.put("finish_reason", finishReason(answer.finishReason()));
		completion.set("usage", usage(mapper, answer.usage()));
		if (mcpCalls != null) {
			completion.putArray("mcp_calls").addAll(mcpCalls);
		}
		return write(mapper, completion);
	}

	/**
	 * One chunk with no choices (as the usage chunk has none) carrying an MCP call the
	 * gateway ran, in {@code mcp_call}: clients that do not know it pass over it.
	 */
	static byte[] stepChunk(ObjectMapper mapper, String id, long created, String model, ObjectNode item) {
		ObjectNode chunk = mapper.createObjectNode()
			.put("id", id)
			.put("object", "chat.completion.chunk")
			.put("created", created)
			.put("model", model);
		chunk.putArray("choices");
		chunk.set("mcp_call", item);
		byte[] json = write(mapper, chunk);
		return ("data: " + new String(json, java.nio.charset.StandardCharsets.UTF_8) + "\n\n")
			.getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

	/**
	 * One {@code chat.completion.chunk} event with a delta, a finish reason, or usage.
	 */
	static byte[] chunk(ObjectMapper mapper, String id, long created, String model, String role, String content,
			String finishReason, TokenUsage usage) {
		ObjectNode chunk = mapper.createObjectNode()
			.put("id", id)
			.put("object", "chat.completion.chunk")
			.put("created", created)
			.put("model", model);
		var choices = chunk.putArray("choices");
		if (usage == null) {
			ObjectNode choice = choices.addObject().put("index", 0);
			ObjectNode delta = choice.putObject("delta");
			if (role != null) {
				delta.put("role", role);
			}
			if (content != null) {
				delta.put("content", content);
			}
			choice.putNull("logprobs");
			if (finishReason == null) {
				choice.putNull("finish_reason");
			}
			else {
				choice.put("finish_reason", finishReason);
			}
		}
		else {
			chunk.set("usage", usage(mapper, usage));
		}
		byte[] json = write(mapper, chunk);
		byte[] event = new byte[json.length + 8];
		System.arraycopy("data: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, event, 0, 6);
		System.arraycopy(json, 0, event, 6, json.length);
		event[event.length - 2] = '\n';
		event[event.length - 1] = '\n';
		return event;
	}

	/** One chunk carrying all of an answer's tool calls, as OpenAI streams them. */
	static byte[] toolCallsChunk(ObjectMapper mapper, String id, long created, String model,
			List<ContentPart.ToolCall> calls) {
		ObjectNode chunk = mapper.createObjectNode()
			.put("id", id)
			.put("object", "chat.completion.chunk")
			.put("created", created)
			.put("model", model);
		ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
		OpenAiToolFormat.write(choice.putObject("delta").putArray("tool_calls"), calls, true);
		choice.putNull("logprobs");
		choice.putNull("finish_reason");
		byte[] json = write(mapper, chunk);
		return ("data: " + new String(json, java.nio.charset.StandardCharsets.UTF_8) + "\n\n")
			.getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

	private static ObjectNode usage(ObjectMapper mapper, TokenUsage usage) {
		return mapper.createObjectNode()
			.put("prompt_tokens", usage.inputTokens())
			.put("completion_tokens", usage.outputTokens())
			.put("total_tokens", usage.totalTokens());
	}

	static String roleName(Role role) {
		return role.name().toLowerCase(Locale.ROOT);
	}

	private static byte[] write(ObjectMapper mapper, JsonNode node) {
		try {
			return mapper.writeValueAsBytes(node);
		}
		catch (IOException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

}
