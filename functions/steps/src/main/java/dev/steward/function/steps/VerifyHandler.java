package dev.steward.function.steps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.agent.AgentSteps;
import dev.steward.core.run.RunPointer;

/** The agent loop's Verify step as a Lambda function. */
public final class VerifyHandler extends StepHandler {
    public VerifyHandler() {
        super();
    }

    public VerifyHandler(AgentSteps steps) {
        super(steps);
    }

    @Override
    protected RunPointer apply(AgentSteps steps, RunPointer at, JsonNode event) {
        return steps.verify(at);
    }
}
