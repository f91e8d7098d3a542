package dev.steward.function.steps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.agent.AgentSteps;
import dev.steward.core.run.RunPointer;
import dev.steward.guardrails.Stage;

/** The agent loop's Plan step as a Lambda function. */
public final class PlanHandler extends StepHandler {
    public PlanHandler() {
        super();
    }

    public PlanHandler(AgentSteps steps) {
        super(steps);
    }

    @Override
    protected RunPointer apply(AgentSteps steps, RunPointer at, JsonNode event) {
        return steps.plan(at);
    }

    /** The input's guardrails, the tool arguments' and the policy engine each tool call asks. */
    @Override
    protected void prime(AgentSteps steps) {
        steps.primeGuardrails(Stage.USER_INPUT, Stage.TOOL_ARGUMENTS);
        steps.primePolicy();
    }
}
