package dev.steward.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a model and the policy engine see of a tool. {@code name} is unique across the toolbox and uses the
 * characters every model API accepts for function names; {@code argumentsSchema} is a JSON Schema (draft 2020-12)
 * object schema, copied on the way in and out so no caller can change it.
 */
public record ToolSpec(String name, String description, JsonNode argumentsSchema, SideEffect sideEffect) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    public ToolSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool name must match " + NAME + ", got '" + name + "'");
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("tool " + name + " needs a description");
        }
        Objects.requireNonNull(argumentsSchema, "argumentsSchema");
        if (!argumentsSchema.isObject() || !"object".equals(argumentsSchema.path("type").asText())) {
            throw new IllegalArgumentException("tool " + name + ": the arguments schema must be a JSON object schema");
        }
        argumentsSchema = argumentsSchema.deepCopy();
        Objects.requireNonNull(sideEffect, "sideEffect");
    }

    @Override
    public JsonNode argumentsSchema() {
        return argumentsSchema.deepCopy();
    }
}
