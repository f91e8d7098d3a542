package dev.steward.function.steps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.agent.AgentSteps;
import dev.steward.core.run.RunPointer;
import dev.steward.guardrails.Stage;

/** The agent loop's Respond step as a Lambda function. */
public final class RespondHandler extends StepHandler {
    public RespondHandler() {
        super();
    }

    public RespondHandler(AgentSteps steps) {
        super(steps);
    }

    @Override
    protected RunPointer apply(AgentSteps steps, RunPointer at, JsonNode event) {
        return steps.respond(at);
    }

    /** The answer's guardrails. */
    @Override
    protected void prime(AgentSteps steps) {
        steps.primeGuardrails(Stage.ANSWER);
    }
}
