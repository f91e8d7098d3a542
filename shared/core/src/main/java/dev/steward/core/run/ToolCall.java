package dev.steward.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** A tool the model asked to call, with its JSON arguments. */
public record ToolCall(String id, String tool, JsonNode arguments) {
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(arguments, "arguments");
    }
}
