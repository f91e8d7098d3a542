package dev.steward.agent;

import dev.steward.connectors.SideEffect;
import dev.steward.connectors.ToolSpec;

/**
 * Decides, outside the model, whether a proposed tool call may run now or needs a person first. Today's rule: a
 * tool with external side effects (sending email, writing to a CRM) always asks; reads run. Tenant-owned policy
 * rules (allow/deny lists, argument conditions) extend this in the guardrails work.
 */
final class ToolPolicy {
    sealed interface Decision permits Run, Ask {}

    record Run() implements Decision {}

    record Ask(String reason) implements Decision {}

    private ToolPolicy() {}

    static Decision decide(ToolSpec tool) {
        return tool.sideEffect() == SideEffect.EXTERNAL_WRITE
                ? new Ask("tool " + tool.name() + " has external side effects: a person approves each call")
                : new Run();
    }
}
