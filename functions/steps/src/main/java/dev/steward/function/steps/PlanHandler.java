package dev.steward.function.steps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.agent.AgentSteps;
import dev.steward.core.run.RunPointer;

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
}
