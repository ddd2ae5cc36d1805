package io.switchboard.llm.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;

import io.switchboard.llm.ToolSpec;

/**
 * A tool's JSON Schema (as MCP servers and OpenAI clients write it) in LangChain4j's
 * typed form, which its Anthropic and Gemini mappers turn into their vendors' schemas.
 * What the typed form cannot say ({@code $ref}, formats, bounds) is left out: vendors
 * treat a schema as guidance, and the tool checks its own arguments.
 */
public final class ToolSchemas {

	private static final ObjectMapper JSON = new ObjectMapper();

	private ToolSchemas() {
	}

	public static ToolSpecification toLangChain4j(ToolSpec tool) {
		JsonNode schema;
		try {
			schema = JSON.readTree(tool.parameters());
		}
		catch (IOException notJson) {
			throw new IllegalArgumentException("the parameters of tool " + tool.name() + " are not JSON", notJson);
		}
		JsonSchemaElement parameters = element(schema);
		ToolSpecification.Builder spec = ToolSpecification.builder().name(tool.name()).description(tool.description());
		if (parameters instanceof JsonObjectSchema object) {
			spec.parameters(object);
		}
		return spec.build();
	}

	static JsonSchemaElement element(JsonNode schema) {
		String description = schema.path("description").asText(null);
		if (schema.has("enum")) {
			List<String> values = new ArrayList<>();
			schema.get("enum").forEach(value -> values.add(value.asText()));
			return JsonEnumSchema.builder().enumValues(values).description(description).build();
		}
		JsonNode anyOf = schema.has("anyOf") ? schema.get("anyOf") : schema.get("oneOf");
		if (anyOf != null && anyOf.isArray()) {
			List<JsonSchemaElement> options = new ArrayList<>();
			anyOf.forEach(option -> options.add(element(option)));
			return JsonAnyOfSchema.builder().anyOf(options).description(description).build();
		}
		JsonNode type = schema.path("type");
		if (type.isArray()) {
			// ["string", "null"]: the first type that is not null
			JsonNode first = null;
			for (JsonNode each : type) {
				if (!"null".equals(each.asText())) {
					first = each;
					break;
				}
			}
			type = first == null ? type.path(0) : first;
		}
		String kind = type.asText(schema.has("properties") ? "object" : "string");
		return switch (kind) {
			case "object" -> {
				JsonObjectSchema.Builder object = JsonObjectSchema.builder().description(description);
				schema.path("properties")
					.properties()
					.forEach(e -> object.addProperty(e.getKey(), element(e.getValue())));
				List<String> required = new ArrayList<>();
				schema.path("required").forEach(name -> required.add(name.asText()));
				if (!required.isEmpty()) {
					object.required(required);
				}
				yield object.build();
			}
			case "array" -> JsonArraySchema.builder()
				.description(description)
				.items(schema.has("items") ? element(schema.get("items")) : new JsonStringSchema())
				.build();
			case "integer" -> JsonIntegerSchema.builder().description(description).build();
			case "number" -> JsonNumberSchema.builder().description(description).build();
			case "boolean" -> JsonBooleanSchema.builder().description(description).build();
			case "null" -> new JsonNullSchema();
			default -> JsonStringSchema.builder().description(description).build();
		};
	}

}
