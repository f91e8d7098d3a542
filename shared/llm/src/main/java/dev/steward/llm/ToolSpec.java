package dev.steward.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A tool offered to the model: its name, what it does, and a JSON Schema for its arguments. The schema must be an
 * object schema ({@code {"type":"object","properties":{...},"required":[...]}}), which every provider accepts.
 * The name follows the strictest provider rule (Bedrock and OpenAI): letters, digits, {@code _} and {@code -}, at
 * most 64 characters. The schema is copied, so later changes to the caller's node do not leak in.
 */
public record ToolSpec(String name, String description, JsonNode parametersSchema) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    public ToolSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parametersSchema, "parametersSchema");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool name '" + name + "' must match " + NAME.pattern());
        }
        if (description.isBlank()) {
            throw new IllegalArgumentException("tool '" + name + "' needs a description: the model chooses tools by it");
        }
        if (!parametersSchema.isObject() || !"object".equals(parametersSchema.path("type").asText())) {
            throw new IllegalArgumentException("tool '" + name + "' parameters must be a JSON object schema with \"type\":\"object\"");
        }
        JsonNode properties = parametersSchema.get("properties");
        if (properties != null && !properties.isObject()) {
            throw new IllegalArgumentException("tool '" + name + "' schema \"properties\" must be an object");
        }
        parametersSchema = parametersSchema.deepCopy();
    }

    /** The schema, as a copy: records hand out no mutable state. */
    @Override
    public JsonNode parametersSchema() {
        return parametersSchema.deepCopy();
    }
}
