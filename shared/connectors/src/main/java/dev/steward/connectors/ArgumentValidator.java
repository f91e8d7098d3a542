package dev.steward.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;

/**
 * Checks tool arguments against a tool's JSON Schema (draft 2020-12, networknt). Format keywords such as
 * {@code "format": "email"} are asserted, not just annotated, because the arguments come from a model. The
 * schema is compiled once; thread-safe.
 */
public final class ArgumentValidator {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private final JsonSchema schema;

    public ArgumentValidator(JsonNode schema) {
        this.schema = FACTORY.getSchema(schema, CONFIG);
    }

    /** Human-readable violations (sorted), empty when {@code arguments} are valid. A null is not an object. */
    public List<String> violations(JsonNode arguments) {
        if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
            return List.of("arguments: an object is required");
        }
        return schema.validate(arguments).stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}
