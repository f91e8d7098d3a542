package dev.steward.connectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One action an agent can take. Implementations are thread-safe and keep the contract of this package
 * (see {@code package-info}): validate first, failures the model can act on as {@link ToolResult.Failed},
 * effectively-once when {@link SideEffect#EXTERNAL_WRITE}.
 */
public interface Tool {

    ToolSpec spec();

    /**
     * Runs the tool for one tool call.
     *
     * @throws dev.steward.core.error.TransientException when a dependency is unreachable or slow; retrying the step
     *     is safe (an external write either did not happen, or its retry will get {@link ToolResult.NeedsReview})
     * @throws dev.steward.core.error.PermanentException on misconfiguration or a bug; retrying will not help
     */
    ToolResult execute(ToolContext context, JsonNode arguments);
}
