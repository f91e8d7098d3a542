package dev.steward.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Validates JSON against a JSON Schema (draft 2020-12) with networknt's validator. Compiled schemas are cached. */
public final class JsonSchemaCheck {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<JsonNode, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private JsonSchemaCheck() {}

    /** The validation errors, empty when {@code instance} satisfies {@code schema}. */
    public static List<String> errors(JsonNode schema, JsonNode instance) {
        JsonSchema compiled = CACHE.computeIfAbsent(schema, FACTORY::getSchema);
        return compiled.validate(instance).stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
