package dev.steward.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** What one tool call returned (or why it did not run), as the model will see it on its next turn. */
public record Observation(String callId, String tool, JsonNode arguments, JsonNode result) {
    public Observation {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(arguments, "arguments");
        Objects.requireNonNull(result, "result");
    }
}
