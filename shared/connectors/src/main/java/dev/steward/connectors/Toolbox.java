package dev.steward.connectors;

import dev.steward.core.run.ToolCall;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tools of a set of connectors, by name: what the Act step calls and what Plan offers the model.
 * Immutable and thread-safe. It neither checks policy (guardrails decide which calls run) nor catches the
 * tools' exceptions (they mean retry or fail the step).
 */
public final class Toolbox {
    private final Map<String, Tool> tools;
    private final List<ToolSpec> specs;

    public Toolbox(List<? extends Connector> connectors) {
        Map<String, Tool> byName = new LinkedHashMap<>();
        for (Connector connector : connectors) {
            for (Tool tool : connector.tools()) {
                Tool previous = byName.putIfAbsent(tool.spec().name(), tool);
                if (previous != null) {
                    throw new IllegalArgumentException("two tools are named " + tool.spec().name());
                }
            }
        }
        this.tools = Map.copyOf(byName);
        this.specs = byName.values().stream().map(Tool::spec).toList();
    }

    /** The specs in connector order, for the model's tool list. */
    public List<ToolSpec> specs() {
        return specs;
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    /** Runs {@code call}; an unknown tool name is an observation for the model, not an exception. */
    public ToolResult execute(ToolContext context, ToolCall call) {
        if (!context.callId().equals(call.id())) {
            throw new IllegalArgumentException("context is for call " + context.callId() + ", not " + call.id());
        }
        Tool tool = tools.get(call.tool());
        if (tool == null) {
            return new ToolResult.Failed("unknown_tool", "there is no tool named '" + call.tool() + "'",
                    List.of("available tools: " + String.join(", ", tools.keySet().stream().sorted().toList())));
        }
        return tool.execute(context, call.arguments());
    }
}
