package io.switchboard.llm;

import java.util.regex.Pattern;

/**
 * A tool offered to a model: the same for every vendor, translated by each adapter.
 *
 * @param name what the model calls it by: letters, digits, {@code _} and {@code -}, at
 * most 64 characters (the strictest vendor's rule)
 * @param description what it does and when to use it, for the model
 * @param parameters a JSON Schema of its arguments, an object schema as JSON text
 */
public record ToolSpec(String name, String description, String parameters) {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	public ToolSpec {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("a tool name must be 1-64 letters, digits, '_' or '-', was " + name);
		}
		description = description == null ? "" : description;
		parameters = parameters == null || parameters.isBlank() ? "{\"type\":\"object\",\"properties\":{}}"
				: parameters;
	}

}
