package dev.steward.function.steps;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.agent.AgentSteps;
import dev.steward.core.run.RunPointer;
import dev.steward.guardrails.Stage;

/** The agent loop's Act step as a Lambda function. */
public final class ActHandler extends StepHandler {
    public ActHandler() {
        super();
    }

    public ActHandler(AgentSteps steps) {
        super(steps);
    }

    @Override
    protected RunPointer apply(AgentSteps steps, RunPointer at, JsonNode event) {
        return steps.act(at);
    }

    /** The tool results' guardrails, with the sentence model of the off-task check. */
    @Override
    protected void prime(AgentSteps steps) {
        steps.primeGuardrails(Stage.TOOL_RESULT);
    }
}
