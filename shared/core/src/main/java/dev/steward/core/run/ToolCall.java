package dev.steward.core.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A tool the model asked to call, with its JSON arguments. {@code authorizedAt} is the index of the run step that
 * let the call run (the plan step that allowed it, or the review step where a person approved it); it is null
 * while the call is only proposed. Act derives the call's idempotency key from it, so the key stays the same when
 * Act is retried or the run is resumed after a crash, and is new when a person approves the call again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ToolCall(String id, String tool, JsonNode arguments, Integer authorizedAt) {
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(arguments, "arguments");
        if (authorizedAt != null && authorizedAt < 0) {
            throw new IllegalArgumentException("authorizedAt must be >= 0, got " + authorizedAt);
        }
    }

    /** A proposed call, not yet authorized. */
    public ToolCall(String id, String tool, JsonNode arguments) {
        this(id, tool, arguments, null);
    }

    /** This call, authorized to run by the run step at {@code stepIndex}. */
    public ToolCall authorizedBy(int stepIndex) {
        return new ToolCall(id, tool, arguments, stepIndex);
    }
}
