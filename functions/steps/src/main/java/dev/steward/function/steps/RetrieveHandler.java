package dev.steward.function.steps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.agent.AgentSteps;
import dev.steward.core.run.RunPointer;

/** The agent loop's Retrieve step as a Lambda function. */
public final class RetrieveHandler extends StepHandler {
    public RetrieveHandler() {
        super();
    }

    public RetrieveHandler(AgentSteps steps) {
        super(steps);
    }

    @Override
    protected RunPointer apply(AgentSteps steps, RunPointer at, JsonNode event) {
        return steps.retrieve(at);
    }
}
