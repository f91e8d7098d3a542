package dev.steward.guardrails.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.steward.core.tenant.TenantId;
import java.util.Objects;

/**
 * One proposed tool call, as the policy engine sees it. {@code arguments} is the call's JSON object (copied in and
 * out); a null or non-object value is treated as no arguments. Tool and agent names are taken as given, so a
 * name the model made up is decided like any other (and, with no rule naming it, denied).
 */
public record ToolRequest(TenantId tenant, String agent, String tool, SideEffect sideEffect, JsonNode arguments) {

    /**
     * What the call does to the world. Mirrors the connectors' side-effect classes by name, so the agent loop maps
     * with {@code ToolRequest.SideEffect.valueOf(spec.sideEffect().name())}.
     */
    public enum SideEffect {
        READ, INTERNAL_WRITE, EXTERNAL_WRITE
    }

    public ToolRequest {
        Objects.requireNonNull(tenant, "tenant");
        if (agent == null || agent.isBlank()) {
            throw new IllegalArgumentException("a tool request needs the agent's name");
        }
        if (tool == null || tool.isBlank()) {
            throw new IllegalArgumentException("a tool request needs the tool's name");
        }
        Objects.requireNonNull(sideEffect, "sideEffect");
        arguments = arguments != null && arguments.isObject() ? arguments.deepCopy() : JsonNodeFactory.instance.objectNode();
    }

    @Override
    public JsonNode arguments() {
        return arguments.deepCopy();
    }
}
